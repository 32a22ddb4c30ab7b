using Microsoft.Extensions.Options;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Api.Schedules;

/// <summary>
/// A run of a schedule: a workflow execution and what became of it (<c>pending</c>, <c>running</c>,
/// <c>completed</c>, <c>failed</c>, <c>skipped</c> or <c>missed</c>, with the reason), and where to see
/// it in the Temporal Web UI when <c>Temporal:UiUrl</c> is set.
/// </summary>
public sealed record RunResponse(
    Guid Id,
    DateTime NominalTime,
    string Status,
    string? Reason,
    string? Error,
    Guid? RecapId,
    string WorkflowId,
    string? TemporalUiUrl,
    DateTime? WindowStart,
    DateTime? WindowEnd,
    DateTime CreatedAt,
    DateTime? CompletedAt);

public sealed record RunListResponse(IReadOnlyList<RunResponse> Items);

public sealed class RunViews(IOptions<TemporalOptions> temporal)
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 500;

    public RunResponse From(StoredRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(
            run.Id,
            run.NominalTime.ToDateTimeUtc(),
            run.Status.ToText(),
            run.Reason,
            run.Error,
            run.RecapId,
            run.WorkflowId,
            UiUrl(run),
            run.WindowStart?.ToDateTimeUtc(),
            run.WindowEnd?.ToDateTimeUtc(),
            run.CreatedAt.ToDateTimeUtc(),
            run.CompletedAt?.ToDateTimeUtc());
    }

    /// <summary>The workflow's page in the Web UI; a missed occurrence never had a workflow.</summary>
    private string? UiUrl(StoredRun run)
    {
        var options = temporal.Value;
        return options.UiUrl is { } ui && run.Status != RunStatus.Missed
            ? $"{ui.ToString().TrimEnd('/')}/namespaces/{Uri.EscapeDataString(options.Namespace)}/workflows/{Uri.EscapeDataString(run.WorkflowId)}"
            : null;
    }
}
