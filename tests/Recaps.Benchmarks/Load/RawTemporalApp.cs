using NodaTime;
using Temporalio.Activities;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Common;
using Temporalio.Worker;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// The raw baseline of the <c>system</c> load: a plain Temporal application firing at the same
/// instant. One schedule per timetable, a daily calendar in UTC at the due minute (Recaps' compiled
/// specs are UTC calendars too; a zone name would have the server's tz data decide), the same jitter
/// and overlap policy as Recaps', starting a workflow that runs three activities which do nothing,
/// on a worker with the SDK's default options.
/// </summary>
internal static class RawTemporalApp
{
    public const string TaskQueue = "raw";

    public static readonly SearchAttributeKey<string> ScheduledBy = SearchAttributeKey.CreateKeyword("TemporalScheduledById");

    public static TemporalWorker Worker(ITemporalClient client) =>
        new(client, new TemporalWorkerOptions(TaskQueue).AddWorkflow<RawRecapWorkflow>().AddAllActivities(typeof(RawActivities), null));

    public static Task CreateScheduleAsync(ITemporalClient client, string id, Instant due, CancellationToken cancellationToken)
    {
        var action = ScheduleActionStartWorkflow.Create((RawRecapWorkflow workflow) => workflow.RunAsync(), new WorkflowOptions(id, TaskQueue));
        var schedule = new Schedule(action, new ScheduleSpec
        {
            Calendars = [new ScheduleCalendarSpec { Hour = [new(due.InUtc().Hour)], Minute = [new(due.InUtc().Minute)] }],
            TimeZoneName = "UTC",
            Jitter = DueMinute.Jitter,
        })
        {
            Policy = new SchedulePolicy { Overlap = ScheduleOverlapPolicy.Skip, CatchupWindow = DueMinute.CatchupWindow },
        };
        return client.CreateScheduleAsync(id, schedule, new() { Rpc = new() { CancellationToken = cancellationToken } });
    }
}

internal static class RawActivities
{
    [Activity]
    public static void ResolveChannels()
    {
        // The baseline's activities do nothing: what is left is Temporal's own cost.
    }

    [Activity]
    public static void GenerateRecap()
    {
        // As above.
    }

    [Activity]
    public static void MarkExecuted()
    {
        // As above.
    }
}
