using NodaTime;
using Recaps.Workflows.RecapRuns;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Converters;

namespace Recaps.Workflows.Sync;

/// <summary>
/// Between Temporal's SDK objects and the gateway's own: pure functions, so what the gateway sends
/// and reads is tested without a server.
/// </summary>
public static class TemporalScheduleMapping
{
    /// <summary>A described schedule: its pause and note, its next action and its latest one (by nominal time).</summary>
    public static TemporalScheduleState FromDescription(string scheduleId, ScheduleState state, ScheduleInfo info)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(info);
        return new(scheduleId, state.Paused, state.Note, Next(info.NextActionTimes), Latest(info.RecentActions));
    }

    /// <summary>A listed schedule: the list carries the same fields, each of them optional.</summary>
    public static TemporalScheduleState FromListing(string scheduleId, ScheduleListState? state, ScheduleListInfo? info) =>
        new(scheduleId, state?.Paused ?? false, state?.Note, Next(info?.NextActionTimes), Latest(info?.RecentActions));

    /// <summary>The owner mark in a schedule's memo (<see cref="ScheduleOwner"/>); null when it has none.</summary>
    public static async Task<string?> OwnerAsync(IReadOnlyDictionary<string, IEncodedRawValue> memo)
    {
        ArgumentNullException.ThrowIfNull(memo);
        return memo.TryGetValue(ScheduleOwner.MemoKey, out var owner) ? await owner.ToValueAsync<string>() : null;
    }

    /// <summary>
    /// The schedule to write over <paramref name="current"/>: <paramref name="desired"/>, except that an
    /// operator's pause and note survive (the user's own pause state comes from <paramref name="desired"/>).
    /// </summary>
    public static Schedule KeepOperatorPause(Schedule desired, ScheduleState current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        return current.Paused && !PauseNotes.IsUsers(current.Note)
            ? desired with { State = desired.State with { Paused = true, Note = current.Note } }
            : desired;
    }

    public static RecapRequest RunNowRequest(RunNowStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        return new(start.ScheduleId, start.RunId, start.RequestedAt);
    }

    /// <summary>
    /// A run-now's workflow id is unique to its request and never reused: a second start of it (a
    /// retried outbox row) is refused by Temporal, whether the first is still running or long closed.
    /// </summary>
    public static WorkflowOptions RunNowOptions(RunNowStart start, string taskQueue)
    {
        ArgumentNullException.ThrowIfNull(start);
        return new(Temporal.TemporalScheduleSpecTranslator.RunNowWorkflowId(start.ScheduleId, start.RunId), taskQueue)
        {
            IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
            IdConflictPolicy = WorkflowIdConflictPolicy.Fail,
        };
    }

    /// <summary>
    /// A backfill around one nominal time: the spec matches only that instant in the range, and Temporal
    /// starts it under the schedule's usual workflow id for it.
    /// </summary>
    public static ScheduleBackfill Backfill(Instant nominal) =>
        new((nominal - Duration.FromSeconds(1)).ToDateTimeUtc(), (nominal + Duration.FromSeconds(1)).ToDateTimeUtc(), ScheduleOverlapPolicy.Skip);

    private static Instant? Next(IReadOnlyCollection<DateTime>? times) =>
        times is { Count: > 0 } ? times.Select(Utc).Min() : null;

    private static Instant? Latest(IReadOnlyCollection<ScheduleActionResult>? actions) =>
        actions is { Count: > 0 } ? actions.Select(a => Utc(a.ScheduledAt)).Max() : null;

    // The SDK converts protobuf timestamps to UTC DateTimes; say so, since NodaTime checks the kind.
    private static Instant Utc(DateTime time) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
