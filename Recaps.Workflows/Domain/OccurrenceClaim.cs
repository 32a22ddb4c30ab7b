using System.Diagnostics;
using NodaTime;

namespace Recaps.Workflows.Domain;

/// <summary>What a claim needs to know of its schedule, as read under the schedule's row lock.</summary>
public sealed record ClaimedSchedule(
    bool Deleted, ScheduleStatus Status, bool PausedByUser, string? PauseReason, bool OperatorPaused, string? OperatorPauseReason, SkipDateSet SkipDates = default);

/// <summary>
/// The schedule's other runs as a claim finds them: one that holds the same occurrence (this run is a
/// duplicate of it), one still running within the abandonment limit (this run waits for it), and how
/// many have been running past it (abandoned: closed before this run cuts its window).
/// </summary>
public sealed record OtherRuns(string? DuplicateOf, string? InProgress, int Abandoned)
{
    public static readonly OtherRuns None = new(null, null, 0);
}

public enum ClaimOutcome
{
    /// <summary>The run runs: its window is cut from the schedule's watermark.</summary>
    Run,

    /// <summary>The run runs once the schedule's abandoned runs are closed (they would otherwise hold its window back).</summary>
    TakeOverAndRun,

    /// <summary>Recorded skipped, with the reason.</summary>
    Skip,

    /// <summary>Recorded missed, with the reason: a start too stale to run.</summary>
    Miss,

    /// <summary>Another run of the schedule is unfinished: windows are cut from the watermark, so two at once would cover the same posts.</summary>
    Wait,
}

/// <summary>What a claim decided; <paramref name="Detail"/> is the skip or miss reason, or the run waited for.</summary>
public sealed record ClaimDecision(ClaimOutcome Outcome, string? Detail = null)
{
    /// <summary>The status the run is stored with.</summary>
    /// <exception cref="InvalidOperationException">The run waits: nothing is stored.</exception>
    public RunStatus Status => Outcome switch
    {
        ClaimOutcome.Run or ClaimOutcome.TakeOverAndRun => RunStatus.Running,
        ClaimOutcome.Skip => RunStatus.Skipped,
        ClaimOutcome.Miss => RunStatus.Missed,
        ClaimOutcome.Wait => throw new InvalidOperationException($"A run waiting for {Detail} is not stored."),
        _ => throw new UnreachableException($"{nameof(ClaimOutcome)} has no member {Outcome}."),
    };
}

/// <summary>
/// The decisions of a claim of an occurrence by a workflow execution. Storage reads what they need
/// under the schedule's row lock (which serialises claims of one schedule) and stores their answer
/// in the same transaction.
/// </summary>
public static class OccurrenceClaim
{
    /// <summary>Why a run was deleted with its schedule, whether the claim or a later activity finds it deleted.</summary>
    public const string DeletedReason = "the schedule was deleted";

    /// <summary>Why a run of a <see cref="ScheduleIntent.SkipIfEmpty"/> schedule whose window had no posts was skipped.</summary>
    public const string EmptyReason = "empty";

    /// <summary>
    /// Whether a workflow's run as already stored (null: none yet) is claimed again; otherwise the
    /// claim answers with it as it is, so calling it again for the same workflow returns the first answer.
    /// </summary>
    public static bool ClaimsAgain(RunStatus? stored) => stored is not { } status || RunLifecycle.CanMove(status, RunStatus.Running);

    /// <summary>
    /// Why the schedule's occurrence does not run, whatever its other runs. An operator's pause stops
    /// run-nows still on their way (queued before it, started after); a start the operator makes
    /// during it (a trigger, a backfill) runs. A skip date stops the scheduled occurrence of its date
    /// however it starts; a run-now is a person's explicit request, and no skip date stops it.
    /// </summary>
    /// <param name="schedule">The schedule as the claim reads it.</param>
    /// <param name="scheduledDate">The local date of a scheduled occurrence; null for a run-now.</param>
    public static string? SkipReason(ClaimedSchedule schedule, LocalDate? scheduledDate)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule switch
        {
            { Deleted: true } => DeletedReason,
            { Status: ScheduleStatus.Completed } => "the one-time schedule has already run",
            { PausedByUser: true } => PauseReasons.ByUser(schedule.PauseReason),
            { OperatorPaused: true } when scheduledDate is null => PauseReasons.ByOperator(schedule.OperatorPauseReason),
            _ when scheduledDate is { } date && schedule.SkipDates.Contains(date) => SkipDateSet.Reason(date),
            _ => null,
        };
    }

    /// <summary>
    /// The claim's answer. A skip reason wins; then a duplicate of the occurrence is skipped; then a
    /// stale start (<paramref name="missedReason"/>) is missed at once: it neither waits for another
    /// run nor closes abandoned ones. Only a run that runs waits, or takes over from abandoned runs.
    /// </summary>
    /// <param name="skipReason">From <see cref="SkipReason"/>; when it is set the other runs are not looked at.</param>
    /// <param name="others">The schedule's other runs.</param>
    /// <param name="key">The occurrence's key.</param>
    /// <param name="missedReason">Why the start is too stale to run; null when it is not.</param>
    public static ClaimDecision Decide(string? skipReason, OtherRuns others, string key, string? missedReason)
    {
        ArgumentNullException.ThrowIfNull(others);
        return (skipReason, others, missedReason) switch
        {
            ({ } reason, _, _) => new(ClaimOutcome.Skip, reason),
            (_, { DuplicateOf: { } duplicateOf }, _) => new(ClaimOutcome.Skip, $"duplicate occurrence {key}: already run by {duplicateOf}"),
            (_, _, { } missed) => new(ClaimOutcome.Miss, missed),
            (_, { InProgress: { } inProgress }, _) => new(ClaimOutcome.Wait, inProgress),
            (_, { Abandoned: > 0 }, _) => new(ClaimOutcome.TakeOverAndRun),
            _ => new(ClaimOutcome.Run),
        };
    }

    /// <summary>Whether this claim records the occurrence missed for the first time (one recorded missed before was counted then).</summary>
    public static bool NewlyMissed(ClaimDecision decision, RunStatus? stored)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Outcome == ClaimOutcome.Miss && stored != RunStatus.Missed;
    }

    /// <summary>
    /// The posts an occurrence covers, <c>(start, end]</c>: from the last successful recap's end (or a
    /// bounded lookback) to the nominal time. An occurrence that ends before the watermark covers nothing, and says so.
    /// </summary>
    public static (Instant Start, Instant End, string? Note) Window(Instant? watermark, Instant nominal, Duration defaultLookback, Duration maxLookback)
    {
        if (watermark is { } covered && nominal <= covered)
        {
            return (nominal, nominal, $"covers nothing new: an earlier-finished run already covered up to {covered}");
        }

        var start = watermark ?? nominal - defaultLookback;
        var earliest = nominal - maxLookback;
        return (start < earliest ? earliest : start, nominal, null);
    }
}
