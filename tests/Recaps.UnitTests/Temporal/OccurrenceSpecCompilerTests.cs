using System.Globalization;
using NodaTime;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Temporal;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.Temporal;

/// <summary>
/// The shape of compiled specs, read entry by entry. Whether the server fires exactly the preview's
/// instants from them is judged by the server itself (SpecAgreementEndToEndTests), not re-computed here.
/// </summary>
public class OccurrenceSpecCompilerTests
{
    private static readonly Instant MidYear = Instant.FromUtc(2026, 6, 1, 0, 0);

    private static readonly WeekdaySet Weekdays =
        WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday);

    [Fact]
    public void Window_StartsAtNewYearUtcAndCoversTheYearsAfter()
    {
        var window = OccurrenceSpecCompiler.Window(MidYear, 10);

        Assert.Equal(Instant.FromUtc(2026, 1, 1, 0, 0), window.Start);
        Assert.Equal(Instant.FromUtc(2037, 1, 1, 0, 0), window.End);
    }

    [Fact]
    public void Compile_WeekdaysInNewYork_MergesTheWholeMonthsOfTenYearsIntoOneEntryPerSeason()
    {
        var entries = Compile(Weekdays, "09:00", "America/New_York");

        Assert.Contains("2026-2036 m4-10 d1-31 w1-5 13:00:00 | Mon-Fri 09:00 America/New_York, EDT, UTC-04:00", entries);
        Assert.Contains("2026-2036 m1-2 d1-31 w1-5 14:00:00 | Mon-Fri 09:00 America/New_York, EST, UTC-05:00", entries);
        Assert.Contains("2026-2036 m12 d1-31 w1-5 14:00:00 | Mon-Fri 09:00 America/New_York, EST, UTC-05:00", entries);
        // The months of a change, split where the weekend between the last run before it and the first after ends.
        Assert.Contains("2027 m3 d1-14 w1-5 14:00:00 | Mon-Fri 09:00 America/New_York, EST, UTC-05:00", entries);
        Assert.Contains("2027 m3 d15-31 w1-5 13:00:00 | Mon-Fri 09:00 America/New_York, EDT, UTC-04:00", entries);
        Assert.Contains("2027 m11 d1-7 w1-5 13:00:00 | Mon-Fri 09:00 America/New_York, EDT, UTC-04:00", entries);
        Assert.Contains("2027 m11 d8-31 w1-5 14:00:00 | Mon-Fri 09:00 America/New_York, EST, UTC-05:00", entries);
        // A change on the weekend after a month's last weekday leaves the month whole (November 2026, 2031, 2036).
        Assert.Contains("2031 m11 d1-31 w1-5 14:00:00 | Mon-Fri 09:00 America/New_York, EST, UTC-05:00", entries);
        // Three seasons, March cut in two in 11 years, November in 8 of them.
        Assert.Equal(3 + (11 * 2) + (8 * 2) + 3, entries.Count);
    }

    [Fact]
    public void Compile_EveryEntry_IsInsideTheWindowAndFiresOnTheMinuteInUtc()
    {
        var spec = OccurrenceSpecCompiler.Compile(Recurrence(Weekdays, "09:00", "Europe/London"), OccurrenceSpecCompiler.Window(MidYear, 10));

        Assert.All(spec, c => Assert.InRange(c.Year.Single().Start, 2026, 2036));
        Assert.All(spec, c => Assert.InRange(c.Year.Single().End, 2026, 2036));
        Assert.All(spec, c => Assert.Equal([new ScheduleRange(0)], c.Second));
        Assert.All(spec, c => Assert.Equal([new ScheduleRange(0)], c.Minute));
        Assert.Equal([8, 9], spec.Select(c => c.Hour.Single().Start).Distinct().Order());
    }

    [Fact]
    public void Compile_TimeInTheSpringGap_GetsAnEntryOfItsOwnAtTheShiftedInstant()
    {
        var entries = Compile(WeekdaySet.Of(IsoDayOfWeek.Sunday), "02:30", "America/New_York");

        // 03:30 EDT = 07:30Z, the same instant 02:30 EST would have been.
        Assert.Contains(
            "2027 m3 d14-20 w0 07:30:00 | Sun 02:30 America/New_York: 2027-03-14 has no 02:30 (clocks go forward), runs at 03:30 EDT, UTC-04:00",
            entries);
    }

    [Fact]
    public void Compile_TimeInTheFallBackOverlap_FiresOnceAtTheFirst()
    {
        var entries = Compile(WeekdaySet.Of(WeekdaySet.Week), "01:30", "America/New_York");

        Assert.Contains(
            "2027 m11 d7 w0-6 05:30:00 | daily 01:30 America/New_York: 01:30 happens twice on 2027-11-07 (clocks go back), runs at the first, EDT, UTC-04:00",
            entries);
        // The second 01:30 (06:30Z) is in no entry: standard time starts the day after.
        Assert.Contains("2027 m11 d8-31 w0-6 06:30:00 | daily 01:30 America/New_York, EST, UTC-05:00", entries);
    }

    [Fact]
    public void Compile_EveningWestOfUtc_ShiftsTheWeekdaysToTheUtcDate()
    {
        // Monday 18:00 in Los Angeles is Tuesday 01:00 or 02:00 UTC.
        var entries = Compile(WeekdaySet.Of(IsoDayOfWeek.Monday), "18:00", "America/Los_Angeles");

        Assert.Contains("2026-2036 m4-10 d1-31 w2 01:00:00 | Mon 18:00 America/Los_Angeles, PDT, UTC-07:00", entries);
        Assert.All(entries, e => Assert.Contains(" w2 ", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_ThirtyMinuteDst_EntriesAtBothHalfHours()
    {
        var entries = Compile(WeekdaySet.Of(WeekdaySet.Week), "09:00", "Australia/Lord_Howe");

        Assert.Contains(entries, e => e.Contains(" 22:00:00 | daily 09:00 Australia/Lord_Howe", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains(" 22:30:00 | daily 09:00 Australia/Lord_Howe", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_ZoneWithoutDst_IsOneEntryForTheWholeHorizon()
    {
        var entries = Compile(Weekdays, "09:00", "Asia/Tokyo");

        Assert.Equal(["2026-2036 m1-12 d1-31 w1-5 00:00:00 | Mon-Fri 09:00 Asia/Tokyo, JST, UTC+09:00"], entries);
    }

    [Fact]
    public void Compile_SameYear_SameSpecWhateverTheDay()
    {
        var recurrence = Recurrence(Weekdays, "09:00", "America/Santiago");

        var january = OccurrenceSpecCompiler.Compile(recurrence, OccurrenceSpecCompiler.Window(Instant.FromUtc(2026, 1, 1, 0, 0), 10)).Select(Describe);
        var december = OccurrenceSpecCompiler.Compile(recurrence, OccurrenceSpecCompiler.Window(Instant.FromUtc(2026, 12, 31, 23, 59), 10)).Select(Describe);
        var nextYear = OccurrenceSpecCompiler.Compile(recurrence, OccurrenceSpecCompiler.Window(Instant.FromUtc(2027, 1, 1, 0, 0), 10)).Select(Describe);

        Assert.Equal(january, december);
        Assert.NotEqual(january, nextYear);
    }

    [Fact]
    public void Compile_DaysOfWeek_AreTemporalsSundayZeroRanges()
    {
        var entries = Compile(WeekdaySet.Of(IsoDayOfWeek.Sunday, IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday), "12:00", "Etc/UTC");

        Assert.Equal(["2026-2036 m1-12 d1-31 w0-2,4 12:00:00 | Mon, Tue, Thu, Sun 12:00 Etc/UTC, UTC, UTC+00:00"], entries);
    }

    private static Recurrence Recurrence(WeekdaySet days, string time, string zoneId) =>
        new(days, LocalTime.FromMinutesSinceMidnight(Minutes(time)), DateTimeZoneProviders.Tzdb[zoneId], Recurring: true, MidYear);

    private static List<string> Compile(WeekdaySet days, string time, string zoneId) =>
        [.. OccurrenceSpecCompiler.Compile(Recurrence(days, time, zoneId), OccurrenceSpecCompiler.Window(MidYear, 10)).Select(Describe)];

    /// <summary>"2027 m3 d14-31 w1-5 13:00:00 | comment": years, months, days, weekdays, UTC time.</summary>
    private static string Describe(ScheduleCalendarSpec c) =>
        $"{Ranges(c.Year)} m{Ranges(c.Month)} d{Ranges(c.DayOfMonth)} w{Ranges(c.DayOfWeek)} "
        + $"{c.Hour.Single().Start:00}:{c.Minute.Single().Start:00}:{c.Second.Single().Start:00} | {c.Comment}";

    private static string Ranges(IEnumerable<ScheduleRange> ranges) =>
        string.Join(',', ranges.Select(r => r.End > r.Start ? $"{r.Start}-{r.End}" : r.Start.ToString(CultureInfo.InvariantCulture)));

    private static int Minutes(string hhmm) =>
        (int.Parse(hhmm[..2], CultureInfo.InvariantCulture) * 60) + int.Parse(hhmm[3..], CultureInfo.InvariantCulture);
}
