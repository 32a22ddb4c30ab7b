using NodaTime;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;

namespace Recaps.Workflows.Storage;

/// <summary>A row of a schedule's run history: one workflow execution and what became of it.</summary>
public sealed record StoredRun(
    Guid Id,
    Guid ScheduleId,
    string OccurrenceKey,
    Instant NominalTime,
    string WorkflowId,
    RunStatus Status,
    string? Reason,
    Instant? WindowStart,
    Instant? WindowEnd,
    IReadOnlyList<RecapChannel>? Channels,
    Guid? RecapId,
    string? Error,
    Instant CreatedAt,
    Instant? CompletedAt);
