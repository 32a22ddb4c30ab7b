using NodaTime;

namespace Recaps.Workflows.Domain;

/// <summary>
/// When a one-time schedule is over: its only occurrence ran, or was missed. An edit re-anchors the
/// schedule past that occurrence (it runs once after each update), and then a run or miss of the
/// occurrence before the edit does not complete it. Run-nows are occurrences of their own: they never complete it.
/// </summary>
public static class OneTimeCompletion
{
    /// <summary>Whether completing a run of the occurrence at <paramref name="nominal"/> completes the schedule.</summary>
    public static bool ByRun(bool recurring, ScheduleStatus status, Instant anchorAt, bool runNow, Instant nominal) =>
        !recurring && !runNow && status != ScheduleStatus.Completed && anchorAt < nominal;

    /// <summary>
    /// Whether recording the occurrence at <paramref name="nominal"/> missed completes the schedule
    /// (storage still leaves a deleted or already completed schedule as it is).
    /// </summary>
    public static bool ByMiss(bool recurring, Instant anchorAt, Instant nominal) => !recurring && anchorAt < nominal;
}
