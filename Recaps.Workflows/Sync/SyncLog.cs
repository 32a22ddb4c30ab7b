using Microsoft.Extensions.Logging;

namespace Recaps.Workflows.Sync;

/// <summary>Log lines of the sync and the reconciler; each names the schedule where there is one.</summary>
internal static partial class SyncLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Change {OutboxId} ({Operation}) of schedule {ScheduleId} failed on attempt {Attempt}; retried at {RetryAt}")]
    public static partial void ChangeFailed(this ILogger logger, Exception error, long outboxId, string operation, Guid scheduleId, int attempt, NodaTime.Instant retryAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "One-time schedule {ScheduleId} completed: its occurrence at {Nominal} passed beyond the catch-up window before it reached Temporal")]
    public static partial void OneTimeMissed(this ILogger logger, Guid scheduleId, NodaTime.Instant nominal);

    [LoggerMessage(Level = LogLevel.Error, Message = "A sync pass failed; the next one retries")]
    public static partial void SyncPassFailed(this ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A reconcile pass failed; the next one retries")]
    public static partial void ReconcilePassFailed(this ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted Temporal schedule {TemporalScheduleId}: no live Recaps schedule has it")]
    public static partial void OrphanDeleted(this ILogger logger, string temporalScheduleId);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Schedule {ScheduleId} drifted: the server's matching times differ from the preview first at {At} (preview: {Expected}, server: {Listed}); it is written again")]
    public static partial void SpecDrifted(this ILogger logger, Guid scheduleId, NodaTime.Instant at, NodaTime.Instant? expected, NodaTime.Instant? listed);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "{Count} schedule specs were not rolled forward in time (Recaps:Sync:SpecRefreshGrace); see their sync.error and the sync's log")]
    public static partial void SpecsOverdue(this ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The server's matching times of schedule {ScheduleId} could not be read; its drift check is tried again later")]
    public static partial void DriftCheckFailed(this ILogger logger, Exception error, Guid scheduleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {ScheduleId} is missing in Temporal; it is written again")]
    public static partial void Recreating(this ILogger logger, Guid scheduleId);
}
