using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Api.Delivery;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Sync;

namespace Recaps.Api.Schedules;

/// <summary>Turns stored schedules into responses: the state a user sees, the next runs, and the derived Temporal schedule.</summary>
public sealed class ScheduleViews(DerivedSchedules derived, TimeZoneData zones, IOptions<RecapsOptions> recaps, IOptions<SyncOptions> sync, IClock clock)
{
    public ScheduleResponse From(StoredSchedule schedule) => From(schedule, temporal: true);

    /// <summary>The response, with the Temporal schedule only when <paramref name="temporal"/> asks for it: it is most of a response's size and cost.</summary>
    public ScheduleResponse From(StoredSchedule schedule, bool temporal)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var now = clock.GetCurrentInstant();
        var intent = schedule.Intent;
        var (status, pausedBy, pauseReason) = State(schedule);
        return new(
            schedule.Id,
            schedule.UserId,
            intent.Title,
            [.. intent.DaysOfWeek.Days.Select(WeekdaySet.NameOf)],
            intent.TimeOfDay.ToString("HH':'mm", null),
            intent.TimeZoneId,
            intent.ChannelMode.ToWire(),
            intent.ChannelIds,
            intent.Recurring,
            intent.Agent,
            intent.CustomInstructions,
            status.ToText(),
            pausedBy?.ToText(),
            pauseReason,
            schedule.CreatedAt.ToDateTimeUtc(),
            schedule.UpdatedAt.ToDateTimeUtc(),
            schedule.LastRunAt?.ToDateTimeUtc(),
            schedule.RunCount,
            // Runs that will happen: none while paused or once a one-time schedule has run.
            status == ScheduleStatus.Active ? derived.NextRuns(schedule.RecurrenceIn(zones), intent.SkipDates, now) : [],
            new SyncResponse(
                schedule.Sync.State.ToText(),
                schedule.Sync.Error,
                schedule.Sync.SyncedAt?.ToDateTimeUtc(),
                schedule.Temporal.NextActionAt?.ToDateTimeUtc(),
                schedule.Temporal.LastActionAt?.ToDateTimeUtc(),
                schedule.Sync.Spec?.Until?.ToDateTimeUtc(),
                status != ScheduleStatus.Completed && SpecChecks.Overdue(schedule, recaps.Value.Schedules, Duration.FromTimeSpan(sync.Value.SpecRefreshGrace), now),
                schedule.Sync.Spec?.Tzdb,
                schedule.Sync.Drift is { } drift
                    ? new(drift.At.ToDateTimeUtc(), drift.Expected?.ToDateTimeUtc(), drift.Listed?.ToDateTimeUtc(), drift.SeenAt.ToDateTimeUtc())
                    : null),
            temporal ? derived.Temporal(schedule, now) : null,
            intent.SkipIfEmpty,
            [.. intent.SkipDates.Dates.Select(SkipDateSet.Pattern.Format)],
            intent.DeliverTo?.Select(DeliveryTargetView.From).ToList());
    }

    /// <summary>
    /// An operator's pause shows over the user's state: it is what holds the schedule, and only the
    /// operator lifts it. A completed one-time schedule is completed whatever else holds.
    /// </summary>
    private static (ScheduleStatus Status, PauseOwner? PausedBy, string? Reason) State(StoredSchedule schedule) => schedule switch
    {
        { Status: ScheduleStatus.Completed } => (ScheduleStatus.Completed, null, null),
        { Temporal.OperatorPaused: true } => (ScheduleStatus.Paused, PauseOwner.Operator, schedule.Temporal.OperatorPauseReason),
        _ => (schedule.Status, schedule.PausedBy, schedule.PauseReason),
    };
}
