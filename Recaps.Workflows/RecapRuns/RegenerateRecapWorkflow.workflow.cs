using Recaps.Workflows.Delivery;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Recaps.Workflows.RecapRuns;

/// <summary>Input of <see cref="RegenerateRecapWorkflow"/>: the stored request it fulfils.</summary>
public sealed record RegenerateRecapRequest(Guid RegenerationId);

/// <summary>Input of <c>MarkRegenerationFailed</c>: the user-safe error, and the detail for the log.</summary>
public sealed record MarkRegenerationFailedInput(Guid RegenerationId, string Error, string? Detail);

/// <summary>Result of <see cref="RegenerateRecapWorkflow"/>: the new version as stored.</summary>
public sealed record RegeneratedRecap(Guid RecapId, int Version, string Agent, string? FallbackReason);

/// <summary>
/// A new version of a stored recap: the same run's window and channels, written again (optionally by
/// another agent) and stored beside the earlier versions. Started by the sync from the request's outbox row.
/// </summary>
[Workflow]
public sealed class RegenerateRecapWorkflow
{
    // Recording the failure must outlive the outage that caused it.
    private static readonly ActivityOptions FailureRecording = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        RetryPolicy = new() { InitialInterval = TimeSpan.FromSeconds(1), MaximumInterval = TimeSpan.FromMinutes(5) },
    };

    /// <summary>One workflow per request, never reused: a second start (a retried outbox row) is refused by Temporal.</summary>
    public static string WorkflowId(Guid regenerationId) => $"recap-regenerate-{regenerationId}";

    public static WorkflowOptions Options(Guid regenerationId, string taskQueue) => new(WorkflowId(regenerationId), taskQueue)
    {
        IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
        IdConflictPolicy = WorkflowIdConflictPolicy.Fail,
    };

    /// <summary>
    /// Writes and stores the new version, then delivers it as a run's recap is delivered (its deliveries
    /// show on it). A version that cannot be written is recorded failed, so asking again makes another.
    /// </summary>
    [WorkflowRun]
    public async Task<RegeneratedRecap> RunAsync(RegenerateRecapRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RegeneratedRecap regenerated;
        try
        {
            regenerated = await Workflow.ExecuteActivityAsync((RegenerationActivities a) => a.RegenerateRecapAsync(request), RecapWorkflow.Generation);
        }
        catch (ActivityFailureException failure) when (!Workflow.CancellationToken.IsCancellationRequested)
        {
            var failed = new MarkRegenerationFailedInput(request.RegenerationId, RunErrors.Describe(failure), failure.InnerException?.Message ?? failure.Message);
            await Workflow.ExecuteActivityAsync((RegenerationActivities a) => a.MarkRegenerationFailedAsync(failed), FailureRecording);
            throw new ApplicationFailureException($"Regeneration failed: {failed.Error}", failure, "RegenerationFailed", nonRetryable: true);
        }

        await DeliverySteps.DeliverAsync(regenerated.RecapId);
        return regenerated;
    }
}
