using NodaTime;
using NodaTime.TimeZones;
using Recaps.Tests.Temporal;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Temporal;

namespace Recaps.Tests.EndToEnd;

/// <summary>One schedule the server and the preview must agree on, and the windows where they are compared.</summary>
internal sealed record AgreementCase(StoredSchedule Schedule, IReadOnlyList<Interval> Windows)
{
    public Recurrence Recurrence => Schedule.RecurrenceIn(TimeZoneData.BuiltIn);

    public override string ToString() =>
        $"{(Recurrence.Days == Daily ? "daily" : string.Join(",", Recurrence.Days.Days.Select(d => d.ToString()[..3])))} {Recurrence.Time:HH':'mm} {Recurrence.Zone.Id}";

    public static readonly WeekdaySet Daily = WeekdaySet.Of(WeekdaySet.Week);
}

/// <summary>
/// The schedules of the agreement test, from tzdb's own transitions: for a zone whose offset changes
/// over the horizon, every day in the middle of each gap and each overlap, weekdays at 09:00, and
/// one-weekday schedules either side of a midnight a change skips or repeats, each compared in a
/// window around every change; for a quiet zone, schedules near its midnight and at 09:00, compared
/// in a few windows across the horizon.
/// </summary>
internal static class AgreementCases
{
    /// <summary>Quiet zones with odd offsets, the date line and none: a UTC date shift is all their specs do.</summary>
    public static readonly string[] QuietSample =
    [
        "Asia/Kathmandu", "Asia/Kolkata", "Pacific/Kiritimati", "Etc/GMT+12", "Pacific/Marquesas",
        "Australia/Eucla", "Asia/Tokyo", "America/Sao_Paulo", "Pacific/Pago_Pago", "UTC",
    ];

    private static readonly WeekdaySet Weekdays =
        WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday);

    private static readonly LocalTime Ordinary = new(9, 0);

    /// <summary>How far either side of a change its window reaches: a weekend and a working day or two.</summary>
    private static readonly Duration Reach = Duration.FromDays(3);

    /// <summary>Occurrences are on whole minutes: windows bounded half-way between leave no time on a bound.</summary>
    private static readonly Duration OffTheMinute = Duration.FromSeconds(30);

    /// <summary>Every canonical tzdb zone whose offset changes from <paramref name="now"/> to <paramref name="years"/> years on, and the quiet sample.</summary>
    public static IReadOnlyList<AgreementCase> AllZones(Instant now, int years)
    {
        var source = TzdbDateTimeZoneSource.Default;
        var changing = source.GetIds()
            .Where(id => source.CanonicalIdMap[id] == id)
            .Order(StringComparer.Ordinal)
            .Where(id => Changes(DateTimeZoneProviders.Tzdb[id], now, years).Count > 0);
        return Of([.. changing, .. QuietSample.Where(id => Changes(DateTimeZoneProviders.Tzdb[id], now, years).Count == 0)], now, years);
    }

    /// <summary>
    /// The cases of <paramref name="zoneIds"/> (DST schedules where the zone changes offset, the quiet ones
    /// where it does not), their windows inside what a spec compiled at <paramref name="now"/> covers.
    /// </summary>
    public static IReadOnlyList<AgreementCase> Of(IEnumerable<string> zoneIds, Instant now, int years) =>
        [.. zoneIds.SelectMany(id => ForZone(DateTimeZoneProviders.Tzdb[id], now, years, OccurrenceSpecCompiler.Window(now, years)))];

    private static IEnumerable<AgreementCase> ForZone(DateTimeZone zone, Instant now, int years, Interval spec)
    {
        var changes = Changes(zone, now, years);
        if (changes.Count == 0)
        {
            var windows = QuietWindows(now, years, spec);
            yield return Case(Weekdays, Ordinary, zone, windows);
            yield return Case(AgreementCase.Daily, new LocalTime(23, 45), zone, windows);
            yield return Case(WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(0, 15), zone, windows);
            yield break;
        }

        var around = changes.Select(c => Around(c.At, spec)).OfType<Interval>().ToList();
        var times = new SortedSet<LocalTime>(changes.Select(c => c.Middle)) { Ordinary };
        foreach (var time in times)
        {
            yield return Case(time == Ordinary ? Weekdays : AgreementCase.Daily, time, zone, around);
        }

        // Which weekday a UTC date stands for turns at a skipped or repeated midnight: schedules on
        // only the day of it, or only the day before, at times around it.
        var aroundMidnight = new HashSet<(IsoDayOfWeek, LocalTime)>();
        foreach (var change in changes.Where(c => c.Midnight is not null))
        {
            var day = change.Midnight!.Value.DayOfWeek;
            var before = change.Midnight.Value.PlusDays(-1).DayOfWeek;
            aroundMidnight.UnionWith([(day, LocalTime.Midnight), (day, change.Middle), (day, change.Later), (before, new LocalTime(23, 0)), (before, new LocalTime(23, 59))]);
        }

        foreach (var (day, time) in aroundMidnight.OrderBy(x => x))
        {
            yield return Case(WeekdaySet.Of(day), time, zone, around);
        }
    }

    private static AgreementCase Case(WeekdaySet days, LocalTime time, DateTimeZone zone, IReadOnlyList<Interval> windows) =>
        new(TestSchedules.Create(days, time, zone.Id, status: ScheduleStatus.Paused, pausedBy: PauseOwner.User), windows);

    /// <summary>Windows for a zone with no change, across the horizon: around two New Years, a month's start and a leap day.</summary>
    private static List<Interval> QuietWindows(Instant now, int years, Interval spec)
    {
        var year = now.InUtc().Year;
        LocalDate[] centres =
        [
            new(year + 1, 1, 1), new(year + 4, 7, 1), new(year + years, 1, 1),
            new(Enumerable.Range(year + 1, 4).First(CalendarSystem.Iso.IsLeapYear), 2, 29),
        ];
        return [.. centres.Select(c => Around(c.AtMidnight().InUtc().ToInstant(), spec)).OfType<Interval>()];
    }

    /// <summary>The window around <paramref name="centre"/>, within what the spec covers; null when none of it is.</summary>
    private static Interval? Around(Instant centre, Interval spec)
    {
        var (start, end) = (Instant.Max(centre - Reach + OffTheMinute, spec.Start), Instant.Min(centre + Reach + OffTheMinute, spec.End));
        return start < end ? new Interval(start, end) : null;
    }

    /// <summary>The zone's offset changes from <paramref name="now"/> to the end of what a spec compiled now covers (at least <paramref name="years"/> years on).</summary>
    private static List<OffsetChange> Changes(DateTimeZone zone, Instant now, int years)
    {
        var end = OccurrenceSpecCompiler.Window(now, years).End;
        var intervals = zone.GetZoneIntervals(new Interval(now, end)).ToList();
        return [.. intervals.Zip(intervals.Skip(1))
            .Where(pair => pair.First.WallOffset != pair.Second.WallOffset)
            .Select(pair => new OffsetChange(pair.Second.Start, pair.First.WallOffset, pair.Second.WallOffset))];
    }
}

/// <summary>
/// An offset change at <see cref="At"/>: the wall times from <see cref="Earlier"/> to <see cref="Later"/>
/// are skipped (a gap) or happen twice (an overlap).
/// </summary>
internal sealed record OffsetChange(Instant At, Offset Before, Offset After)
{
    public LocalDateTime EarlierLocal => At.WithOffset(Offset.Min(Before, After)).LocalDateTime;

    public LocalDateTime LaterLocal => At.WithOffset(Offset.Max(Before, After)).LocalDateTime;

    public LocalTime Earlier => EarlierLocal.TimeOfDay;

    public LocalTime Later => LaterLocal.TimeOfDay;

    /// <summary>The whole minute in the middle of the skipped or doubled wall times.</summary>
    public LocalTime Middle
    {
        get
        {
            var middle = EarlierLocal.PlusSeconds((Offset.Max(Before, After) - Offset.Min(Before, After)).Seconds / 2).TimeOfDay;
            return new LocalTime(middle.Hour, middle.Minute);
        }
    }

    /// <summary>
    /// The midnight the change skips, repeats, or starts or ends at, if there is one: there the weekday
    /// a UTC date stands for turns.
    /// </summary>
    public LocalDate? Midnight => LaterLocal.Date.AtMidnight() is var midnight && EarlierLocal <= midnight && midnight <= LaterLocal ? LaterLocal.Date : null;
}
