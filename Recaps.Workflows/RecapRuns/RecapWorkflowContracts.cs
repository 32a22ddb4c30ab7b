using NodaTime;

namespace Recaps.Workflows.RecapRuns;

/// <summary>
/// Input of <see cref="RecapWorkflow"/>. A scheduled start carries only the schedule id (its nominal
/// time comes from <c>TemporalScheduledStartTime</c>); a run-now carries its run id and request time.
/// </summary>
public sealed record RecapRequest(Guid ScheduleId, Guid? RunId = null, Instant? RequestedAt = null);

public enum RecapOutcomeStatus
{
    Completed,
    Skipped,
}

/// <summary>Result of <see cref="RecapWorkflow"/>; a failed run fails the workflow instead.</summary>
public sealed record RecapOutcome(RecapOutcomeStatus Status, Guid? RunId, Guid? RecapId, string? Reason);

/// <summary>
/// What a workflow claims: a scheduled start's nominal time, or a run-now's request time and run id.
/// <see cref="WaitedForWorker"/> runs from the server starting the workflow to a worker first taking it
/// up: beyond the catch-up window a scheduled start is stale (every worker was down) and is recorded
/// as missed instead of run.
/// </summary>
public sealed record ResolveChannelsInput(Guid ScheduleId, string WorkflowId, Instant NominalTime, Guid? RunNowId, TimeSpan WaitedForWorker = default);

public sealed record RecapChannel(string Id, string Name, Instant? ReadUpTo)
{
    /// <summary>Where its posts start in a window from <paramref name="windowStart"/>: in allUnreads mode only posts after the read cursor count.</summary>
    public Instant PostsAfter(Instant windowStart) => ReadUpTo is { } readUpTo && readUpTo > windowStart ? readUpTo : windowStart;
}

/// <summary>The claimed occurrence: its run, window and channels; or why it is skipped.</summary>
public sealed record ResolvedOccurrence(
    Guid RunId,
    string OccurrenceKey,
    string? SkipReason,
    Instant WindowStart,
    Instant WindowEnd,
    IReadOnlyList<RecapChannel> Channels)
{
    public bool Skipped => SkipReason is not null;
}

public sealed record GenerateRecapInput(Guid RunId);

public sealed record GeneratedRecap(Guid RecapId, int ChannelCount, int MessageCount, int FailedChannelCount);

public sealed record MarkExecutedInput(Guid RunId);

/// <param name="Counted">Whether this call completed the run (a retry finds it completed).</param>
/// <param name="ScheduleCompleted">Whether a one-time schedule is now done.</param>
/// <param name="Pending">
/// The recap's deliveries still to send, routed in the same activity; null in histories from before
/// <c>MarkExecuted</c> routed (<see cref="RecapWorkflow.RoutedWhenMarkedPatch"/>).
/// </param>
public sealed record MarkExecutedResult(bool Counted, bool ScheduleCompleted, IReadOnlyList<Guid>? Pending = null);

/// <summary>A run that failed, to record.</summary>
/// <param name="ScheduleId">The schedule it ran for.</param>
/// <param name="WorkflowId">The workflow that ran it.</param>
/// <param name="NominalTime">Its occurrence's nominal time.</param>
/// <param name="Error">What the user sees (<see cref="RunErrors"/>).</param>
/// <param name="Detail">What failed, for the worker's log.</param>
public sealed record MarkFailedInput(Guid ScheduleId, string WorkflowId, Instant NominalTime, string Error, string? Detail = null);
