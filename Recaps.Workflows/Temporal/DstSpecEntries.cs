using NodaTime;
using Recaps.Workflows.Domain;
using Temporalio.Client.Schedules;

namespace Recaps.Workflows.Temporal;

/// <summary>
/// The entries a Temporal spec needs, beyond its weekly calendar, so that the server fires exactly
/// the instants of <see cref="RecurrenceEngine"/>. The server (<c>service/worker/scheduler/calendar.go</c>)
/// reads wall times with Go's <c>time.Date</c> (<see cref="TemporalWallClock"/>), and so:
/// <list type="bullet">
/// <item>skips a wall time that does not exist: the shifted run is pinned to its date;</item>
/// <item>on a doubled wall time fires the first and then the second west of UTC, where the workflow
/// drops the second as a duplicate, but only the second where the offset after the change is zero or
/// more: that date is steered to the first (<see cref="Steer"/>);</item>
/// <item>checks a date's weekday at its midnight, so a date whose midnight does not exist passes for
/// the day before: it is pinned, or skipped, accordingly.</item>
/// </list>
/// </summary>
internal sealed class DstSpecEntries
{
    public List<ScheduleCalendarSpec> Calendars { get; } = [];

    public List<ScheduleCalendarSpec> Skip { get; } = [];

    /// <summary>Corrections for a weekly recurrence on the dates in <c>[from, to)</c>.</summary>
    public void AddWeekly(Recurrence recurrence, LocalDate from, LocalDate to)
    {
        foreach (var day in DstDays(recurrence, from, to))
        {
            if (day.Shift == OccurrenceShift.ForwardOverGap)
            {
                Pin(day.Local.LocalDateTime, $"DST: {recurrence.Time:HH':'mm} does not exist on {day.Date:uuuu'-'MM'-'dd}; runs at {day.Local.TimeOfDay:HH':'mm}");
            }
            else if (TakesTheSecond(recurrence.Zone, day))
            {
                Steer(recurrence.Zone, day);
            }
        }

        foreach (var (date, seenAs) in MidnightGapDays(recurrence.Zone, from, to))
        {
            var day = RecurrenceEngine.On(recurrence, date);
            var comment = $"DST: Temporal reads {date:uuuu'-'MM'-'dd} as a {WeekdaySet.NameOf(seenAs)} (its midnight does not exist)";
            if (recurrence.Days.Contains(date.DayOfWeek) && !recurrence.Days.Contains(seenAs) && day.Shift != OccurrenceShift.ForwardOverGap)
            {
                Pin(day.Local.LocalDateTime, comment);
            }
            else if (!recurrence.Days.Contains(date.DayOfWeek) && recurrence.Days.Contains(seenAs) && recurrence.Zone.MapLocal(date + recurrence.Time).Count > 0)
            {
                Skip.Add(PinnedAt(date + recurrence.Time, comment));
            }
        }
    }

    /// <summary>The single entry of a one-time recurrence.</summary>
    public void AddOnce(Recurrence recurrence, Occurrence only)
    {
        if (!TakesTheSecond(recurrence.Zone, only) || !Steer(recurrence.Zone, only))
        {
            Pin(only.Local.LocalDateTime, $"once, {only.Date:uuuu'-'MM'-'dd} at {recurrence.Time:HH':'mm}");
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
        foreach (var interval in TransitionsBetween(zone, from, to))
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

    /// <summary>Dates in <c>[from, to)</c> whose midnight does not exist, with the weekday Temporal takes them for.</summary>
    public static IEnumerable<(LocalDate Date, IsoDayOfWeek SeenAs)> MidnightGapDays(DateTimeZone zone, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(zone);
        foreach (var interval in TransitionsBetween(zone, from, to))
        {
            var date = interval.Start.InZone(zone).Date;
            var seenAs = TemporalWallClock.Resolve(zone, date.AtMidnight()).InZone(zone).Date;
            if (date >= from && date < to && seenAs != date)
            {
                yield return (date, seenAs.DayOfWeek);
            }
        }
    }

    private static bool TakesTheSecond(DateTimeZone zone, Occurrence occurrence) =>
        occurrence.Shift == OccurrenceShift.EarlierOfTwo && TemporalWallClock.Resolve(zone, occurrence.Local.LocalDateTime) != occurrence.At;

    /// <summary>
    /// Makes Temporal fire the first of a doubled wall time. Rolling from the hour before into a
    /// repeated hour, the server fires the earlier hour's time plus one hour; so the entry is pinned
    /// an hour early and a skip entry drops that early time's own fire. Where that cannot land on the
    /// first instant (an overlap that is not one hour, as on Lord Howe Island) it adds nothing, and
    /// the run happens at the second.
    /// </summary>
    /// <returns>Whether the date could be steered.</returns>
    private bool Steer(DateTimeZone zone, Occurrence occurrence)
    {
        var wall = occurrence.Local.LocalDateTime;
        var hourBefore = wall.PlusHours(-1);
        var hourStart = wall.Date + new LocalTime(wall.Hour, 0);
        var landsOnFirst = wall.Hour > 0
            && zone.MapLocal(hourBefore).Count == 1
            && TemporalWallClock.Resolve(zone, hourBefore) + Duration.FromHours(1) == occurrence.At
            && TemporalWallClock.Resolve(zone, hourStart) - TemporalWallClock.Resolve(zone, hourStart.PlusHours(-1)) > Duration.FromHours(1);
        if (landsOnFirst)
        {
            var why = $"DST: {wall:HH':'mm} happens twice on {occurrence.Date:uuuu'-'MM'-'dd}";
            Calendars.Add(PinnedAt(hourBefore, $"{why}; Temporal rolls this entry into the first {wall:HH':'mm}"));
            Skip.Add(PinnedAt(hourBefore, $"{why}; the {hourBefore:HH':'mm} fire of the entry above is not a run"));
        }

        return landsOnFirst;
    }

    private void Pin(LocalDateTime wall, string comment) => Calendars.Add(PinnedAt(wall, comment));

    private static ScheduleCalendarSpec PinnedAt(LocalDateTime local, string comment) => new()
    {
        Year = [new(local.Year)],
        Month = [new(local.Month)],
        DayOfMonth = [new(local.Day)],
        Hour = [new(local.Hour)],
        Minute = [new(local.Minute)],
        Comment = comment,
    };

    private static IEnumerable<NodaTime.TimeZones.ZoneInterval> TransitionsBetween(DateTimeZone zone, LocalDate from, LocalDate to)
    {
        var start = from.At(LocalTime.Midnight).InZoneLeniently(zone).ToInstant();
        var end = to.At(LocalTime.Midnight).InZoneLeniently(zone).ToInstant();
        return zone.GetZoneIntervals(start, end).Skip(1);
    }
}
