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
    /// The spec: one weekly calendar plus, for each DST day from <paramref name="now"/> over the
    /// horizon where Temporal would not fire at the policy's instant, entries pinned to that date.
    /// A one-time recurrence is one pinned entry.
    /// </summary>
    public static ScheduleSpec Spec(Recurrence recurrence, string timeZoneId, SchedulesOptions options, Instant now)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        ArgumentNullException.ThrowIfNull(options);
        var spec = new PinnedSpec([], []);
        if (!recurrence.Recurring)
        {
            if (RecurrenceEngine.Next(recurrence, recurrence.Anchor) is { } only)
            {
                Pin(spec, recurrence, only, $"once, {only.Date:uuuu'-'MM'-'dd} at {recurrence.Time:HH':'mm}");
            }

            return spec.ToSpec(timeZoneId, options);
        }

        spec.Calendars.Add(new ScheduleCalendarSpec
        {
            DayOfWeek = DayOfWeekRanges(recurrence.Days),
            Hour = [new(recurrence.Time.Hour)],
            Minute = [new(recurrence.Time.Minute)],
            Comment = $"{string.Join(", ", recurrence.Days.Days.Select(WeekdaySet.NameOf))} at {recurrence.Time:HH':'mm}",
        });
        var today = now.InZone(recurrence.Zone).Date;
        foreach (var day in DstDays(recurrence, today, today.PlusYears(options.DstHorizonYears)))
        {
            if (day.Shift == OccurrenceShift.ForwardOverGap)
            {
                Pin(spec, recurrence, day, $"DST: {recurrence.Time:HH':'mm} does not exist on {day.Date:uuuu'-'MM'-'dd}; runs at {day.Local.TimeOfDay:HH':'mm}");
            }
            else if (TemporalWallClock.Resolve(recurrence.Zone, day.Date + recurrence.Time) != day.At)
            {
                // The weekly calendar fires the second of the two; steer this date to the first.
                Pin(spec, recurrence, day, "");
            }
        }

        foreach (var (date, seenAs) in MidnightGapDays(recurrence.Zone, today, today.PlusYears(options.DstHorizonYears)))
        {
            // Temporal checks a date's weekday at its midnight; where midnight does not exist it gets the day before's.
            var day = RecurrenceEngine.On(recurrence, date);
            var comment = $"DST: Temporal reads {date:uuuu'-'MM'-'dd} as a {WeekdaySet.NameOf(seenAs)} (its midnight does not exist)";
            if (recurrence.Days.Contains(date.DayOfWeek) && !recurrence.Days.Contains(seenAs) && day.Shift != OccurrenceShift.ForwardOverGap)
            {
                Pin(spec, recurrence, day, comment);
            }
            else if (!recurrence.Days.Contains(date.DayOfWeek) && recurrence.Days.Contains(seenAs) && recurrence.Zone.MapLocal(date + recurrence.Time).Count > 0)
            {
                spec.Skip.Add(PinnedAt(date + recurrence.Time, comment));
            }
        }

        return spec.ToSpec(timeZoneId, options);
    }

    /// <summary>Dates in <c>[from, to)</c> whose midnight does not exist, with the weekday Temporal takes them for.</summary>
    public static IEnumerable<(LocalDate Date, IsoDayOfWeek SeenAs)> MidnightGapDays(DateTimeZone zone, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var start = from.At(LocalTime.Midnight).InZoneLeniently(zone).ToInstant();
        var end = to.At(LocalTime.Midnight).InZoneLeniently(zone).ToInstant();
        foreach (var interval in zone.GetZoneIntervals(start, end).Skip(1))
        {
            var date = interval.Start.InZone(zone).Date;
            var seenAs = TemporalWallClock.Resolve(zone, date.AtMidnight()).InZone(zone).Date;
            if (date >= from && date < to && seenAs != date)
            {
                yield return (date, seenAs.DayOfWeek);
            }
        }
    }

    /// <summary>
    /// Occurrences on matching dates in <c>[from, to)</c> that DST moves: the chosen time falls into a
    /// gap or happens twice.
    /// </summary>
    public static IEnumerable<Occurrence> DstDays(Recurrence recurrence, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        var zone = recurrence.Zone;
        var start = from.At(LocalTime.Midnight).InZoneLeniently(zone).ToInstant();
        var end = to.At(LocalTime.Midnight).InZoneLeniently(zone).ToInstant();
        foreach (var interval in zone.GetZoneIntervals(start, end).Skip(1))
        {
            // Around a transition the wall times between the clock just before it and just after it
            // either do not exist (clocks forward) or happen twice (clocks back), on one date or across midnight.
            var before = interval.Start.WithOffset(zone.GetZoneInterval(interval.Start - Duration.Epsilon).WallOffset).LocalDateTime;
            var after = interval.Start.WithOffset(interval.WallOffset).LocalDateTime;
            var (low, high) = before < after ? (before, after) : (after, before);
            foreach (var date in low.Date == high.Date ? [low.Date] : new[] { low.Date, high.Date })
            {
                var local = date + recurrence.Time;
                if (date >= from && date < to && recurrence.Days.Contains(date.DayOfWeek) && local >= low && local < high)
                {
                    yield return RecurrenceEngine.On(recurrence, date);
                }
            }
        }
    }

    /// <summary>
    /// Pins <paramref name="occurrence"/> to its date so that Temporal fires at exactly its instant.
    /// Where the wall time happens twice and Temporal would take the second, the server's handling of
    /// a repeated hour is used: rolling from the hour before into the repeated one, it fires the
    /// earlier hour's time plus one hour. So the entry is pinned an hour earlier, and a skip entry
    /// drops that earlier time's own fire. Where that cannot land on the first instant (an overlap
    /// that is not one hour, as on Lord Howe Island), the run happens at the second.
    /// </summary>
    private static void Pin(PinnedSpec spec, Recurrence recurrence, Occurrence occurrence, string comment)
    {
        var wall = occurrence.Local.LocalDateTime;
        if (occurrence.Shift != OccurrenceShift.EarlierOfTwo || TemporalWallClock.Resolve(recurrence.Zone, wall) == occurrence.At)
        {
            spec.Calendars.Add(PinnedAt(wall, comment));
            return;
        }

        var hourBefore = wall.PlusHours(-1);
        var zone = recurrence.Zone;
        var hourStart = wall.Date + new LocalTime(wall.Hour, 0);
        var landsOnFirst = wall.Hour > 0
            && zone.MapLocal(hourBefore).Count == 1
            && TemporalWallClock.Resolve(zone, hourBefore) + Duration.FromHours(1) == occurrence.At
            && TemporalWallClock.Resolve(zone, hourStart) - TemporalWallClock.Resolve(zone, hourStart.PlusHours(-1)) > Duration.FromHours(1);
        if (landsOnFirst)
        {
            var why = $"DST: {wall:HH':'mm} happens twice on {occurrence.Date:uuuu'-'MM'-'dd}";
            spec.Calendars.Add(PinnedAt(hourBefore, $"{why}; Temporal rolls this entry into the first {wall:HH':'mm}"));
            spec.Skip.Add(PinnedAt(hourBefore, $"{why}; the {hourBefore:HH':'mm} fire of the entry above is not a run"));
        }
        else if (!recurrence.Recurring)
        {
            spec.Calendars.Add(PinnedAt(wall, comment));
        }
    }

    /// <summary>The calendars and skip entries of a spec while it is built.</summary>
    private sealed record PinnedSpec(List<ScheduleCalendarSpec> Calendars, List<ScheduleCalendarSpec> Skip)
    {
        public ScheduleSpec ToSpec(string timeZoneId, SchedulesOptions options) =>
            new() { Calendars = Calendars, Skip = Skip, TimeZoneName = timeZoneId, Jitter = options.Jitter };
    }

    private static ScheduleCalendarSpec PinnedAt(LocalDateTime local, string comment) => new()
    {
        Year = [new(local.Year)],
        Month = [new(local.Month)],
        DayOfMonth = [new(local.Day)],
        Hour = [new(local.Hour)],
        Minute = [new(local.Minute)],
        Comment = comment,
    };

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
