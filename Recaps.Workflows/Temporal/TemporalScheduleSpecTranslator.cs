using NodaTime;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;

namespace Recaps.Workflows.Temporal;

/// <summary>
/// Where a schedule becomes a Temporal schedule. Temporal matches wall-clock fields in the zone, skips
/// a wall time that does not exist and fires twice on one that happens twice; so for each DST-gap day
/// in the horizon the spec pins the shifted run to that date, and <see cref="RecapActivities"/> drops
/// the second fire of a doubled hour. Together they follow the policy of <see cref="RecurrenceEngine"/>.
/// </summary>
public static class TemporalScheduleSpecTranslator
{
    public const string ScheduleIdPrefix = "recap-schedule-";

    /// <summary>The Temporal note of a schedule paused by its user; a pause without it is an operator's.</summary>
    public const string UserPauseNotePrefix = "recaps:user:";

    public const string ManagedNote = "recaps: managed by the Recaps API";

    public static string ScheduleId(Guid scheduleId) => $"{ScheduleIdPrefix}{scheduleId}";

    /// <summary>Temporal appends <c>-{nominal time}</c> to this for every scheduled start.</summary>
    public static string WorkflowIdPrefix(Guid scheduleId) => $"recap-{scheduleId}";

    public static string RunNowWorkflowId(Guid scheduleId, Guid runId) => $"recap-{scheduleId}-run-{runId}";

    public static Schedule Translate(StoredSchedule schedule, SchedulesOptions options, string taskQueue, Instant now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(options);
        var recurrence = schedule.Recurrence;
        var action = ScheduleActionStartWorkflow.Create(
            (RecapWorkflow workflow) => workflow.RunAsync(new RecapRequest(schedule.Id, null, null)),
            new WorkflowOptions(WorkflowIdPrefix(schedule.Id), taskQueue)
            {
                Memo = new Dictionary<string, object> { ["userId"] = schedule.UserId, ["title"] = schedule.Intent.Title },
            });

        var pausedByUser = schedule.Status == ScheduleStatuses.Paused && schedule.PausedBy == "user";
        return new Schedule(action, Spec(recurrence, schedule.Intent.TimeZoneId, options, now))
        {
            Policy = new SchedulePolicy
            {
                Overlap = ScheduleOverlapPolicy.Skip,
                CatchupWindow = options.CatchupWindow,
                PauseOnFailure = false,
            },
            State = new ScheduleState
            {
                Paused = pausedByUser,
                Note = pausedByUser ? $"{UserPauseNotePrefix} {schedule.PauseReason}".TrimEnd() : ManagedNote,
                LimitedActions = !recurrence.Recurring,
                RemainingActions = recurrence.Recurring ? 0 : 1,
            },
        };
    }

    /// <summary>
    /// The spec: one weekly calendar plus, for each DST-gap day from <paramref name="now"/> over the
    /// horizon, an entry pinned to that date at the shifted time. A one-time recurrence is one pinned entry.
    /// </summary>
    public static ScheduleSpec Spec(Recurrence recurrence, string timeZoneId, SchedulesOptions options, Instant now)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        ArgumentNullException.ThrowIfNull(options);
        var calendars = new List<ScheduleCalendarSpec>();
        if (!recurrence.Recurring)
        {
            if (RecurrenceEngine.Next(recurrence, recurrence.Anchor) is { } only)
            {
                calendars.Add(Pinned(only, $"once, {only.Date:uuuu'-'MM'-'dd} at {recurrence.Time:HH':'mm}"));
            }
        }
        else
        {
            calendars.Add(new ScheduleCalendarSpec
            {
                DayOfWeek = DayOfWeekRanges(recurrence.Days),
                Hour = [new(recurrence.Time.Hour)],
                Minute = [new(recurrence.Time.Minute)],
                Comment = $"{string.Join(", ", recurrence.Days.Days.Select(WeekdaySet.NameOf))} at {recurrence.Time:HH':'mm}",
            });
            var today = now.InZone(recurrence.Zone).Date;
            calendars.AddRange(GapDays(recurrence, today, today.PlusYears(options.DstHorizonYears))
                .Select(o => Pinned(o, $"DST: {recurrence.Time:HH':'mm} does not exist on {o.Date:uuuu'-'MM'-'dd}; runs at {o.Local.TimeOfDay:HH':'mm}")));
        }

        return new ScheduleSpec
        {
            Calendars = calendars,
            TimeZoneName = timeZoneId,
            Jitter = options.Jitter,
        };
    }

    /// <summary>Occurrences on matching dates in <c>[from, to)</c> whose chosen time falls into a DST gap.</summary>
    public static IEnumerable<Occurrence> GapDays(Recurrence recurrence, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        var zone = recurrence.Zone;
        var start = from.At(LocalTime.Midnight).InZoneLeniently(zone).ToInstant();
        var end = to.At(LocalTime.Midnight).InZoneLeniently(zone).ToInstant();
        foreach (var interval in zone.GetZoneIntervals(start, end).Skip(1))
        {
            // Only a transition that moves clocks forward leaves wall times out; they lie between
            // the wall time just before it and just after it, on one date or across midnight.
            var before = zone.GetZoneInterval(interval.Start - Duration.Epsilon);
            if (interval.WallOffset <= before.WallOffset)
            {
                continue;
            }

            var gapStart = interval.Start.WithOffset(before.WallOffset).LocalDateTime;
            var gapEnd = interval.Start.WithOffset(interval.WallOffset).LocalDateTime;
            foreach (var date in gapStart.Date == gapEnd.Date ? [gapStart.Date] : new[] { gapStart.Date, gapEnd.Date })
            {
                var local = date + recurrence.Time;
                if (date >= from && date < to && recurrence.Days.Contains(date.DayOfWeek) && local >= gapStart && local < gapEnd)
                {
                    yield return RecurrenceEngine.On(recurrence, date);
                }
            }
        }
    }

    private static ScheduleCalendarSpec Pinned(Occurrence occurrence, string comment)
    {
        var local = occurrence.Local.LocalDateTime;
        return new ScheduleCalendarSpec
        {
            Year = [new(local.Year)],
            Month = [new(local.Month)],
            DayOfMonth = [new(local.Day)],
            Hour = [new(local.Hour)],
            Minute = [new(local.Minute)],
            Comment = comment,
        };
    }

    /// <summary>Temporal counts days 0 = Sunday … 6 = Saturday; runs of consecutive days become one range.</summary>
    private static List<ScheduleRange> DayOfWeekRanges(WeekdaySet days)
    {
        var numbers = days.Days.Select(d => d == IsoDayOfWeek.Sunday ? 0 : (int)d).Order().ToList();
        var ranges = new List<ScheduleRange>();
        foreach (var day in numbers)
        {
            if (ranges.Count > 0 && ranges[^1].End == day - 1)
            {
                ranges[^1] = new ScheduleRange(ranges[^1].Start, day);
            }
            else
            {
                ranges.Add(new ScheduleRange(day));
            }
        }

        return ranges;
    }
}
