using NodaTime;
using Recaps.Workflows.RecapRuns;

namespace Recaps.Workflows.Storage;

public static class RunStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Missed = "missed";
}

/// <summary>A row of a schedule's run history: one workflow execution and what became of it.</summary>
public sealed record StoredRun(
    Guid Id,
    Guid ScheduleId,
    string OccurrenceKey,
    Instant NominalTime,
    string WorkflowId,
    string Status,
    string? Reason,
    Instant? WindowStart,
    Instant? WindowEnd,
    IReadOnlyList<RecapChannel>? Channels,
    Guid? RecapId,
    string? Error,
    Instant CreatedAt,
    Instant? CompletedAt);
