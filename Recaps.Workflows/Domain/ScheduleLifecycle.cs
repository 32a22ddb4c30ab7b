namespace Recaps.Workflows.Domain;

/// <summary>How a user's changes move a schedule's status (a one-time schedule's completion is <see cref="OneTimeCompletion"/>'s).</summary>
public static class ScheduleLifecycle
{
    /// <summary>Whether the user may pause a schedule in <paramref name="status"/>: a paused one takes the new reason; a completed one has nothing left to pause.</summary>
    public static bool CanPause(ScheduleStatus status) => status switch
    {
        ScheduleStatus.Active or ScheduleStatus.Paused => true,
        ScheduleStatus.Completed => false,
        _ => throw StateText<ScheduleStatus>.OutOfRange(status),
    };

    /// <summary>The status an update of the intent leaves: a one-time schedule runs once after each update, so a completed one is active again; a pause stays.</summary>
    public static ScheduleStatus AfterUpdate(ScheduleStatus status) => status switch
    {
        ScheduleStatus.Active or ScheduleStatus.Completed => ScheduleStatus.Active,
        ScheduleStatus.Paused => ScheduleStatus.Paused,
        _ => throw StateText<ScheduleStatus>.OutOfRange(status),
    };
}
