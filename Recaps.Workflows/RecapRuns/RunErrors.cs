using Temporalio.Exceptions;

namespace Recaps.Workflows.RecapRuns;

/// <summary>
/// The <c>run.error</c> a user sees: a stable code, then a message safe to show anyone. What failed,
/// in full, stays where operators look: the workflow's history (the Web UI) and the worker's log,
/// with the workflow and run ids.
/// </summary>
public static class RunErrors
{
    public const string Cancelled = "cancelled";

    public const string AllChannelsFailed = "all_channels_failed";

    public const string InvalidSchedule = "invalid_schedule";

    public const string TimedOut = "timed_out";

    public const string Failed = "run_failed";

    /// <summary>The schedule was deleted after its run was claimed; the run is recorded skipped.</summary>
    public const string ScheduleDeleted = "schedule_deleted";

    /// <summary>A channel of a recap that could not be summarised (the others are).</summary>
    public const string ChannelFailed = "channel_failed: this channel could not be summarised; the next recap covers its posts again.";

    /// <summary>A channel of a recap whose owner was no longer a member of it when its posts were read.</summary>
    public const string ChannelAccessLost = "channel_access_lost: you are no longer a member of this channel, so its posts are left out.";

    /// <summary>The code and message of an activity's failure, as the workflow saw it (deterministic: it reads only the failure).</summary>
    public static string Describe(Exception failure) => (failure as ActivityFailureException)?.InnerException switch
    {
        ApplicationFailureException { ErrorType: RecapActivities.AllChannelsFailedType } =>
            $"{AllChannelsFailed}: no channel could be summarised; the next run tries again.",
        ApplicationFailureException { ErrorType: RecapActivities.InvalidRecapDataType } =>
            $"{InvalidSchedule}: the schedule cannot run as it stands (say, its agent is no longer configured); an operator finds why in the workflow's history.",
        ApplicationFailureException { ErrorType: RecapActivities.ScheduleDeletedType } =>
            $"{ScheduleDeleted}: the schedule was deleted while this run was under way; no recap is made.",
        TimeoutFailureException => $"{TimedOut}: the run took too long; the next run tries again.",
        _ => $"{Failed}: the recap could not be made; the next run tries again.",
    };
}
