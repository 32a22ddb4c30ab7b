using NodaTime;
using NodaTime.Text;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Domain;

public class RecurrenceEngineTests
{
    private static readonly IsoDayOfWeek[] Weekdays =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];

    private static readonly IReadOnlyList<WeekdaySet> Masks =
    [
        WeekdaySet.Of(IsoDayOfWeek.Sunday),
        WeekdaySet.Of(IsoDayOfWeek.Saturday),
        WeekdaySet.Of(Weekdays),
        WeekdaySet.Of(WeekdaySet.Week),
        WeekdaySet.Of(IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Sunday),
    ];

    private static readonly string[] Zones = DstZones.All;

    private static readonly LocalDate RangeStart = new(2026, 1, 1);
    private static readonly LocalDate RangeEnd = new(2030, 12, 31);

    /// <summary>
    /// Hand-computed from each zone's rules: the date's local wall time, where it lands on the time
    /// line under the policy, the UTC offset and wall time it lands at, and how it was shifted.
    /// </summary>
    public static TheoryData<string, string, string, string, int, string, OccurrenceShift> NamedCases => new()
    {
        // New York: 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
        { "America/New_York", "2026-03-08", "02:30", "2026-03-08T07:30:00Z", -4 * 60, "03:30", OccurrenceShift.ForwardOverGap },
        { "America/New_York", "2026-03-08", "02:00", "2026-03-08T07:00:00Z", -4 * 60, "03:00", OccurrenceShift.ForwardOverGap },
        { "America/New_York", "2026-03-08", "03:00", "2026-03-08T07:00:00Z", -4 * 60, "03:00", OccurrenceShift.None },
        { "America/New_York", "2026-03-08", "01:59", "2026-03-08T06:59:00Z", -5 * 60, "01:59", OccurrenceShift.None },
        { "America/New_York", "2026-11-01", "01:30", "2026-11-01T05:30:00Z", -4 * 60, "01:30", OccurrenceShift.EarlierOfTwo },
        { "America/New_York", "2026-11-01", "01:00", "2026-11-01T05:00:00Z", -4 * 60, "01:00", OccurrenceShift.EarlierOfTwo },
        { "America/New_York", "2026-11-01", "02:00", "2026-11-01T07:00:00Z", -5 * 60, "02:00", OccurrenceShift.None },
        { "America/New_York", "2027-03-14", "02:30", "2027-03-14T07:30:00Z", -4 * 60, "03:30", OccurrenceShift.ForwardOverGap },

        // London and Dublin: last Sunday of March 01:00 GMT → 02:00; last Sunday of October 02:00 → 01:00 GMT.
        { "Europe/London", "2026-03-29", "01:30", "2026-03-29T01:30:00Z", 60, "02:30", OccurrenceShift.ForwardOverGap },
        { "Europe/London", "2026-10-25", "01:30", "2026-10-25T00:30:00Z", 60, "01:30", OccurrenceShift.EarlierOfTwo },
        { "Europe/Dublin", "2026-03-29", "01:00", "2026-03-29T01:00:00Z", 60, "02:00", OccurrenceShift.ForwardOverGap },
        { "Europe/Dublin", "2026-10-25", "01:30", "2026-10-25T00:30:00Z", 60, "01:30", OccurrenceShift.EarlierOfTwo },
        { "Europe/Dublin", "2028-10-29", "01:30", "2028-10-29T00:30:00Z", 60, "01:30", OccurrenceShift.EarlierOfTwo },

        // Sydney: first Sunday of April 03:00 AEDT → 02:00 AEST; first Sunday of October 02:00 → 03:00 AEDT.
        { "Australia/Sydney", "2026-10-04", "02:30", "2026-10-03T16:30:00Z", 11 * 60, "03:30", OccurrenceShift.ForwardOverGap },
        { "Australia/Sydney", "2026-04-05", "02:30", "2026-04-04T15:30:00Z", 11 * 60, "02:30", OccurrenceShift.EarlierOfTwo },
        { "Australia/Sydney", "2026-04-05", "03:00", "2026-04-04T17:00:00Z", 10 * 60, "03:00", OccurrenceShift.None },

        // Lord Howe moves by 30 minutes: 02:00 +10:30 → 02:30 +11 in October; 02:00 +11 → 01:30 +10:30 in April.
        { "Australia/Lord_Howe", "2026-10-04", "02:15", "2026-10-03T15:45:00Z", 11 * 60, "02:45", OccurrenceShift.ForwardOverGap },
        { "Australia/Lord_Howe", "2026-10-04", "02:30", "2026-10-03T15:30:00Z", 11 * 60, "02:30", OccurrenceShift.None },
        { "Australia/Lord_Howe", "2026-04-05", "01:45", "2026-04-04T14:45:00Z", 11 * 60, "01:45", OccurrenceShift.EarlierOfTwo },
        { "Australia/Lord_Howe", "2026-04-05", "01:15", "2026-04-04T14:15:00Z", 11 * 60, "01:15", OccurrenceShift.None },

        // Chatham (+12:45 / +13:45): last Sunday of September 02:45 → 03:45; first Sunday of April 03:45 → 02:45.
        { "Pacific/Chatham", "2026-09-27", "02:45", "2026-09-26T14:00:00Z", 13 * 60 + 45, "03:45", OccurrenceShift.ForwardOverGap },
        { "Pacific/Chatham", "2026-09-27", "03:00", "2026-09-26T14:15:00Z", 13 * 60 + 45, "04:00", OccurrenceShift.ForwardOverGap },
        { "Pacific/Chatham", "2026-09-27", "02:30", "2026-09-26T13:45:00Z", 12 * 60 + 45, "02:30", OccurrenceShift.None },
        { "Pacific/Chatham", "2026-04-05", "03:00", "2026-04-04T13:15:00Z", 13 * 60 + 45, "03:00", OccurrenceShift.EarlierOfTwo },

        // Santiago changes at midnight: Sunday 00:00 -04 → 01:00 -03 in September; Saturday 24:00 -03 → 23:00 -04 in April.
        { "America/Santiago", "2026-09-06", "00:00", "2026-09-06T04:00:00Z", -3 * 60, "01:00", OccurrenceShift.ForwardOverGap },
        { "America/Santiago", "2026-09-06", "00:30", "2026-09-06T04:30:00Z", -3 * 60, "01:30", OccurrenceShift.ForwardOverGap },
        { "America/Santiago", "2026-04-04", "23:30", "2026-04-05T02:30:00Z", -3 * 60, "23:30", OccurrenceShift.EarlierOfTwo },
        { "America/Santiago", "2026-04-05", "00:00", "2026-04-05T04:00:00Z", -4 * 60, "00:00", OccurrenceShift.None },

        // Kolkata has no DST.
        { "Asia/Kolkata", "2026-03-08", "02:30", "2026-03-07T21:00:00Z", 5 * 60 + 30, "02:30", OccurrenceShift.None },
        { "Asia/Kolkata", "2026-11-01", "01:30", "2026-10-31T20:00:00Z", 5 * 60 + 30, "01:30", OccurrenceShift.None },

        // Casablanca (+01) goes back to +00 for Ramadan: 2026-02-15 03:00 → 02:00 and 2026-03-22 02:00 → 03:00.
        { "Africa/Casablanca", "2026-03-22", "02:30", "2026-03-22T02:30:00Z", 60, "03:30", OccurrenceShift.ForwardOverGap },
        { "Africa/Casablanca", "2026-02-15", "02:30", "2026-02-15T01:30:00Z", 60, "02:30", OccurrenceShift.EarlierOfTwo },
        { "Africa/Casablanca", "2026-03-01", "02:30", "2026-03-01T02:30:00Z", 0, "02:30", OccurrenceShift.None },
    };

    [Theory]
    [MemberData(nameof(NamedCases))]
    public void Next_NamedDstCase_RunsAtTheHandComputedInstant(
        string zoneId, string date, string time, string expectedUtc, int expectedOffsetMinutes, string expectedWallTime, OccurrenceShift expectedShift)
    {
        var localDate = LocalDatePattern.Iso.Parse(date).Value;
        var recurrence = Weekly(zoneId, time, localDate.DayOfWeek);
        var dayBefore = localDate.PlusDays(-1).AtStartOfDayInZone(recurrence.Zone).ToInstant();

        var occurrence = Assert.NotNull(RecurrenceEngine.Next(recurrence, dayBefore));

        Assert.Equal(localDate, occurrence.Date);
        Assert.Equal(InstantPattern.General.Parse(expectedUtc).Value, occurrence.At);
        Assert.Equal(Offset.FromSeconds(expectedOffsetMinutes * 60), occurrence.Local.Offset);
        Assert.Equal(Time(expectedWallTime), occurrence.Local.TimeOfDay);
        Assert.Equal(expectedShift, occurrence.Shift);
        Assert.Equal(occurrence, RecurrenceEngine.On(recurrence, localDate));
        Assert.Equal(localDate, RecurrenceEngine.OccurrenceDateOf(recurrence, occurrence.At));
    }

    /// <summary>Zones, a time inside their spring-forward gap, the gap's length, and the number of gap days 2026–2030 on Sundays.</summary>
    public static TheoryData<string, string, int, int> GapTimes => new()
    {
        { "America/New_York", "02:30", 60, 5 },
        { "Europe/London", "01:30", 60, 5 },
        { "Europe/Dublin", "01:00", 60, 5 },
        { "Australia/Sydney", "02:00", 60, 5 },
        { "Australia/Lord_Howe", "02:15", 30, 5 },
        { "Australia/Lord_Howe", "02:00", 30, 5 },
        { "Pacific/Chatham", "02:45", 60, 5 },
        { "Pacific/Chatham", "03:30", 60, 5 },
        { "America/Santiago", "00:00", 60, 5 },
        { "America/Santiago", "00:45", 60, 5 },
        // The tz database has Morocco's Ramadan changes only for 2026 from release 2026a on.
        { "Africa/Casablanca", "02:30", 60, 1 },
    };

    [Theory]
    [MemberData(nameof(GapTimes))]
    public void Next_TimeInsideGap_ShiftsForwardByTheGapLength(string zoneId, string time, int gapMinutes, int expectedGapDays)
    {
        var recurrence = Weekly(zoneId, time, IsoDayOfWeek.Sunday);
        var wall = Time(time);
        var gapDays = 0;

        foreach (var occurrence in OccurrencesIn(recurrence, RangeStart, RangeEnd))
        {
            if (recurrence.Zone.MapLocal(occurrence.Date + wall).Count != 0)
            {
                Assert.Equal(wall, occurrence.Local.TimeOfDay);
                continue;
            }

            gapDays++;
            Assert.Equal(OccurrenceShift.ForwardOverGap, occurrence.Shift);
            Assert.Equal(occurrence.Date, occurrence.Local.Date);
            Assert.Equal(wall.PlusMinutes(gapMinutes), occurrence.Local.TimeOfDay);

            // The same instant as the wall time read with the offset in force before the jump.
            var before = recurrence.Zone.GetZoneInterval(occurrence.At - Duration.FromMinutes(gapMinutes) - Duration.Epsilon);
            Assert.Equal((occurrence.Date + wall).WithOffset(before.WallOffset).ToInstant(), occurrence.At);
            Assert.Contains("clocks go forward", occurrence.Note, StringComparison.Ordinal);
        }

        Assert.Equal(expectedGapDays, gapDays);
    }

    /// <summary>Zones, a time inside their fall-back overlap, the overlap's length, and the number of doubled days 2026–2030.</summary>
    public static TheoryData<string, string, IsoDayOfWeek, int, int> OverlapTimes => new()
    {
        { "America/New_York", "01:30", IsoDayOfWeek.Sunday, 60, 5 },
        { "Europe/London", "01:00", IsoDayOfWeek.Sunday, 60, 5 },
        { "Europe/Dublin", "01:30", IsoDayOfWeek.Sunday, 60, 5 },
        { "Australia/Sydney", "02:30", IsoDayOfWeek.Sunday, 60, 5 },
        { "Australia/Lord_Howe", "01:45", IsoDayOfWeek.Sunday, 30, 5 },
        { "Pacific/Chatham", "02:45", IsoDayOfWeek.Sunday, 60, 5 },
        { "Pacific/Chatham", "03:30", IsoDayOfWeek.Sunday, 60, 5 },
        { "America/Santiago", "23:30", IsoDayOfWeek.Saturday, 60, 5 },
        { "America/Santiago", "23:00", IsoDayOfWeek.Saturday, 60, 5 },
        // 2026-02-15 (Ramadan) and 2026-09-20 (Morocco's return to +00 in the tz database's 2026 releases).
        { "Africa/Casablanca", "02:30", IsoDayOfWeek.Sunday, 60, 1 },
        { "Africa/Casablanca", "01:30", IsoDayOfWeek.Sunday, 60, 1 },
    };

    [Theory]
    [MemberData(nameof(OverlapTimes))]
    public void Next_TimeInsideOverlap_RunsOnceAtTheEarlierInstant(string zoneId, string time, IsoDayOfWeek day, int overlapMinutes, int expectedDoubledDays)
    {
        var recurrence = Weekly(zoneId, time, day);
        var wall = Time(time);
        var doubledDays = 0;

        var occurrences = OccurrencesIn(recurrence, RangeStart, RangeEnd);
        foreach (var occurrence in occurrences)
        {
            var mapping = recurrence.Zone.MapLocal(occurrence.Date + wall);
            if (mapping.Count != 2)
            {
                // Many of these times also fall into the spring gap; Next_TimeInsideGap covers those days.
                Assert.Equal(mapping.Count == 1 ? OccurrenceShift.None : OccurrenceShift.ForwardOverGap, occurrence.Shift);
                continue;
            }

            Assert.Equal(wall, occurrence.Local.TimeOfDay);

            doubledDays++;
            Assert.Equal(OccurrenceShift.EarlierOfTwo, occurrence.Shift);

            // The earlier of the two carries the larger (pre-transition) offset; the later one is the overlap's length after it.
            Assert.Equal(mapping.EarlyInterval.WallOffset, occurrence.Local.Offset);
            Assert.Equal(mapping.LateInterval.WallOffset + Offset.FromSeconds(overlapMinutes * 60), occurrence.Local.Offset);
            var later = (occurrence.Date + wall).WithOffset(mapping.LateInterval.WallOffset).ToInstant();
            Assert.Equal(occurrence.At + Duration.FromMinutes(overlapMinutes), later);
            Assert.DoesNotContain(occurrences, o => o.At == later);
            Assert.Contains("clocks go back", occurrence.Note, StringComparison.Ordinal);
        }

        Assert.Equal(expectedDoubledDays, doubledDays);
    }

    [Fact]
    public void Next_NewYorkFallBack_DoesNotRunAgainInTheRepeatedHour()
    {
        var recurrence = Weekly("America/New_York", "01:30", WeekdaySet.Week.ToArray());
        var first = Instant.FromUtc(2026, 11, 1, 5, 30);

        var next = Assert.NotNull(RecurrenceEngine.Next(recurrence, first));

        // Not 06:30Z (the second 01:30, EST), but the next day's 01:30 EST.
        Assert.Equal(Instant.FromUtc(2026, 11, 2, 6, 30), next.At);
        Assert.Equal(new LocalDate(2026, 11, 2), next.Date);
    }

    [Fact]
    public void Next_FromInsideTheRepeatedHour_SkipsToTheNextDate()
    {
        var recurrence = Weekly("America/New_York", "01:30", WeekdaySet.Week.ToArray());
        var betweenTheTwo = Instant.FromUtc(2026, 11, 1, 6, 0);

        var next = Assert.NotNull(RecurrenceEngine.Next(recurrence, betweenTheTwo));

        Assert.Equal(new LocalDate(2026, 11, 2), next.Date);
    }

    [Fact]
    public void Next_AfterExactlyAnOccurrence_ReturnsTheFollowingOne()
    {
        var recurrence = Weekly("Europe/London", "09:00", IsoDayOfWeek.Monday);
        var monday = Instant.FromUtc(2026, 1, 5, 9, 0);

        var next = Assert.NotNull(RecurrenceEngine.Next(recurrence, monday));

        Assert.Equal(Instant.FromUtc(2026, 1, 12, 9, 0), next.At);
    }

    [Fact]
    public void Next_JustBeforeAnOccurrence_ReturnsIt()
    {
        var recurrence = Weekly("Europe/London", "09:00", IsoDayOfWeek.Monday);
        var monday = Instant.FromUtc(2026, 1, 5, 9, 0);

        Assert.Equal(monday, RecurrenceEngine.Next(recurrence, monday - Duration.Epsilon)?.At);
    }

    [Fact]
    public void Next_EmptyWeekdaySet_HasNoOccurrences()
    {
        var recurrence = new Recurrence(default, new LocalTime(9, 0), Zone("UTC"), true, Instant.FromUtc(2026, 1, 1, 0, 0));

        Assert.Null(RecurrenceEngine.Next(recurrence, Instant.FromUtc(2026, 1, 1, 0, 0)));
        Assert.Empty(RecurrenceEngine.Next(recurrence, Instant.FromUtc(2026, 1, 1, 0, 0), 5));
    }

    [Fact]
    public void Next_NegativeCount_Throws()
    {
        var recurrence = Weekly("UTC", "09:00", IsoDayOfWeek.Monday);

        Assert.Throws<ArgumentOutOfRangeException>(() => RecurrenceEngine.Next(recurrence, Instant.FromUtc(2026, 1, 1, 0, 0), -1));
    }

    [Fact]
    public void Next_WeekdaysAcrossAWeekend_SkipsSaturdayAndSunday()
    {
        var recurrence = Weekly("America/New_York", "09:00", Weekdays);
        var thursdayNight = Instant.FromUtc(2026, 1, 2, 3, 0); // 2026-01-01 22:00 EST, a Thursday

        var next = RecurrenceEngine.Next(recurrence, thursdayNight, 4);

        Assert.Equal(
            [new LocalDate(2026, 1, 2), new LocalDate(2026, 1, 5), new LocalDate(2026, 1, 6), new LocalDate(2026, 1, 7)],
            next.Select(o => o.Date));
        Assert.Equal(Instant.FromUtc(2026, 1, 2, 14, 0), next[0].At);
    }

    [Fact]
    public void Next_ZoneAheadOfUtc_UsesTheLocalDateForTheWeekday()
    {
        // Monday 2026-01-05 09:00 in Chatham (+13:45) is Sunday 2026-01-04 19:15 UTC.
        var recurrence = Weekly("Pacific/Chatham", "09:00", IsoDayOfWeek.Monday);

        var next = Assert.NotNull(RecurrenceEngine.Next(recurrence, Instant.FromUtc(2026, 1, 1, 0, 0)));

        Assert.Equal(new LocalDate(2026, 1, 5), next.Date);
        Assert.Equal(Instant.FromUtc(2026, 1, 4, 19, 15), next.At);
        Assert.Equal(new LocalDate(2026, 1, 5), RecurrenceEngine.OccurrenceDateOf(recurrence, next.At));
    }

    [Fact]
    public void Next_EveryZoneTimeAndMask_GivesExactlyOneOccurrencePerMatchingLocalDate()
    {
        string[] times = ["00:00", "00:30", "01:00", "01:30", "01:45", "02:00", "02:15", "02:30", "02:45", "03:00", "03:30", "09:00", "23:00", "23:30"];
        var cases = 0;
        // Every date, and a sparse mask whose gaps the search must step over; TemporalSpecAgreementTests runs more masks.
        WeekdaySet[] masks = [WeekdaySet.Of(WeekdaySet.Week), WeekdaySet.Of(IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday)];
        foreach (var zoneId in Zones)
        {
            var zone = Zone(zoneId);
            foreach (var time in times)
            {
                foreach (var mask in masks)
                {
                    var recurrence = new Recurrence(mask, Time(time), zone, true, Instant.MinValue);
                    var actual = OccurrencesIn(recurrence, RangeStart, RangeEnd);
                    var expected = ExpectedOccurrences(recurrence, RangeStart, RangeEnd);

                    if (!expected.SequenceEqual(actual.Select(o => (o.Date, o.At))))
                    {
                        Assert.Fail($"{zoneId} {time} [{string.Join(",", mask.Days)}]: {FirstDifference(expected, [.. actual.Select(o => (o.Date, o.At))])}");
                    }

                    for (var i = 1; i < actual.Count; i++)
                    {
                        if (actual[i - 1].At >= actual[i].At)
                        {
                            Assert.Fail($"{zoneId} {time} [{string.Join(",", mask.Days)}]: not increasing at {actual[i].Date}");
                        }
                    }

                    cases++;
                }
            }
        }

        Assert.Equal(Zones.Length * times.Length * masks.Length, cases);
    }

    [Fact]
    public void Next_WeekdayMask_MatchesOnlyAndEveryMatchingLocalDate()
    {
        foreach (var mask in Masks)
        {
            var recurrence = new Recurrence(mask, new LocalTime(23, 30), Zone("Pacific/Chatham"), true, Instant.MinValue);

            var dates = OccurrencesIn(recurrence, RangeStart, RangeEnd).Select(o => o.Date).ToList();

            var expected = new List<LocalDate>();
            for (var date = RangeStart; date <= RangeEnd; date = date.PlusDays(1))
            {
                if (mask.Days.Contains(date.DayOfWeek))
                {
                    expected.Add(date);
                }
            }

            Assert.Equal(expected, dates);
        }
    }

    [Fact]
    public void Next_CountLimit_ReturnsThatManyInOrder()
    {
        var recurrence = Weekly("Asia/Kolkata", "09:00", IsoDayOfWeek.Monday, IsoDayOfWeek.Thursday);

        var next = RecurrenceEngine.Next(recurrence, Instant.FromUtc(2026, 1, 1, 0, 0), 5);

        // 2026-01-01 is a Thursday; 09:00 IST is 03:30 UTC.
        Assert.Equal(
            [
                Instant.FromUtc(2026, 1, 1, 3, 30), Instant.FromUtc(2026, 1, 5, 3, 30), Instant.FromUtc(2026, 1, 8, 3, 30),
                Instant.FromUtc(2026, 1, 12, 3, 30), Instant.FromUtc(2026, 1, 15, 3, 30),
            ],
            next.Select(o => o.At));
        Assert.All(next, o => Assert.Equal(OccurrenceShift.None, o.Shift));
        Assert.All(next, o => Assert.Null(o.Note));
    }

    // ---- one-time ----

    [Fact]
    public void Next_OneTime_RunsOnceAtTheFirstOccurrenceAfterTheAnchor()
    {
        // 2026-01-01T00:00Z is Wednesday 2025-12-31 19:00 in New York; the first Monday after is 2026-01-05.
        var anchor = Instant.FromUtc(2026, 1, 1, 0, 0);
        var recurrence = OneTime("America/New_York", "09:00", anchor, IsoDayOfWeek.Monday);

        var all = RecurrenceEngine.Next(recurrence, anchor, 10);

        var only = Assert.Single(all);
        Assert.Equal(new LocalDate(2026, 1, 5), only.Date);
        Assert.Equal(Instant.FromUtc(2026, 1, 5, 14, 0), only.At);
    }

    [Fact]
    public void Next_OneTimeAskedFromBeforeTheAnchor_StillOnlyTheOccurrenceAfterTheAnchor()
    {
        var anchor = Instant.FromUtc(2026, 1, 1, 0, 0);
        var recurrence = OneTime("America/New_York", "09:00", anchor, IsoDayOfWeek.Monday);

        var all = RecurrenceEngine.Next(recurrence, anchor - Duration.FromDays(30), 10);

        Assert.Equal(Instant.FromUtc(2026, 1, 5, 14, 0), Assert.Single(all).At);
    }

    [Fact]
    public void Next_OneTimeAfterItsOccurrence_HasNone()
    {
        var anchor = Instant.FromUtc(2026, 1, 1, 0, 0);
        var recurrence = OneTime("America/New_York", "09:00", anchor, IsoDayOfWeek.Monday);
        var only = Instant.FromUtc(2026, 1, 5, 14, 0);

        Assert.Null(RecurrenceEngine.Next(recurrence, only));
        Assert.Empty(RecurrenceEngine.Next(recurrence, only, 5));
        Assert.Empty(RecurrenceEngine.Next(recurrence, only + Duration.FromDays(7), 5));
        Assert.Equal(only, RecurrenceEngine.Next(recurrence, only - Duration.Epsilon)?.At);
    }

    [Fact]
    public void Next_OneTimeAnchoredEarlierThatDay_RunsTheSameDay()
    {
        var anchor = Instant.FromUtc(2026, 1, 5, 13, 0); // Monday 08:00 EST
        var recurrence = OneTime("America/New_York", "09:00", anchor, IsoDayOfWeek.Monday);

        Assert.Equal(Instant.FromUtc(2026, 1, 5, 14, 0), RecurrenceEngine.Next(recurrence, anchor)?.At);
    }

    [Fact]
    public void Next_OneTimeAnchoredExactlyAtTheTime_RunsTheWeekAfter()
    {
        var anchor = Instant.FromUtc(2026, 1, 5, 14, 0); // Monday 09:00 EST
        var recurrence = OneTime("America/New_York", "09:00", anchor, IsoDayOfWeek.Monday);

        Assert.Equal(Instant.FromUtc(2026, 1, 12, 14, 0), Assert.Single(RecurrenceEngine.Next(recurrence, anchor, 3)).At);
    }

    [Fact]
    public void Next_OneTimeOnAGapDay_FollowsTheDstPolicy()
    {
        var anchor = Instant.FromUtc(2026, 3, 7, 12, 0);
        var recurrence = OneTime("America/New_York", "02:30", anchor, IsoDayOfWeek.Sunday);

        var only = Assert.Single(RecurrenceEngine.Next(recurrence, anchor, 3));

        Assert.Equal(Instant.FromUtc(2026, 3, 8, 7, 30), only.At);
        Assert.Equal(OccurrenceShift.ForwardOverGap, only.Shift);
    }

    // ---- OccurrenceDateOf ----

    [Fact]
    public void OccurrenceDateOf_SecondInstantOfDoubledHour_MapsToTheSameLocalDate()
    {
        var recurrence = Weekly("America/New_York", "01:30", IsoDayOfWeek.Sunday);
        var first = Instant.FromUtc(2026, 11, 1, 5, 30);  // 01:30 EDT
        var second = Instant.FromUtc(2026, 11, 1, 6, 30); // 01:30 EST

        Assert.Equal(new LocalDate(2026, 11, 1), RecurrenceEngine.OccurrenceDateOf(recurrence, first));
        Assert.Equal(new LocalDate(2026, 11, 1), RecurrenceEngine.OccurrenceDateOf(recurrence, second));
    }

    [Fact]
    public void OccurrenceDateOf_SantiagoDoubledHourBeforeMidnight_MapsToTheSaturday()
    {
        // Saturday 2026-04-04 23:30 happens at -03 (02:30Z Sunday) and again at -04 (03:30Z Sunday).
        var recurrence = Weekly("America/Santiago", "23:30", IsoDayOfWeek.Saturday);

        Assert.Equal(new LocalDate(2026, 4, 4), RecurrenceEngine.OccurrenceDateOf(recurrence, Instant.FromUtc(2026, 4, 5, 2, 30)));
        Assert.Equal(new LocalDate(2026, 4, 4), RecurrenceEngine.OccurrenceDateOf(recurrence, Instant.FromUtc(2026, 4, 5, 3, 30)));
    }

    [Fact]
    public void OccurrenceDateOf_LordHoweHalfHourDouble_MapsBothToTheSunday()
    {
        // Sunday 2026-04-05 01:45 happens at +11 (14:45Z) and at +10:30 (15:15Z) the day before in UTC.
        var recurrence = Weekly("Australia/Lord_Howe", "01:45", IsoDayOfWeek.Sunday);

        Assert.Equal(new LocalDate(2026, 4, 5), RecurrenceEngine.OccurrenceDateOf(recurrence, Instant.FromUtc(2026, 4, 4, 14, 45)));
        Assert.Equal(new LocalDate(2026, 4, 5), RecurrenceEngine.OccurrenceDateOf(recurrence, Instant.FromUtc(2026, 4, 4, 15, 15)));
    }

    [Fact]
    public void OccurrenceDateOf_ShiftedGapInstant_MapsToItsDate()
    {
        var recurrence = Weekly("America/New_York", "02:30", IsoDayOfWeek.Sunday);

        Assert.Equal(new LocalDate(2026, 3, 8), RecurrenceEngine.OccurrenceDateOf(recurrence, Instant.FromUtc(2026, 3, 8, 7, 30)));
    }

    [Fact]
    public void OccurrenceDateOf_InstantOutsideTheTimetable_MapsToItsLocalDate()
    {
        var recurrence = Weekly("Pacific/Chatham", "09:00", IsoDayOfWeek.Monday);

        // 2026-06-03T12:00Z is Thursday 2026-06-04 00:45 in Chatham (+12:45).
        Assert.Equal(new LocalDate(2026, 6, 4), RecurrenceEngine.OccurrenceDateOf(recurrence, Instant.FromUtc(2026, 6, 3, 12, 0)));
    }

    [Fact]
    public void OccurrenceDateOf_EveryOccurrenceAndItsDoubledTwin_MapBackToTheOccurrenceDate()
    {
        string[] times = ["00:00", "00:30", "01:30", "01:45", "02:00", "02:30", "02:45", "03:00", "23:30"];
        var twins = 0;
        foreach (var zoneId in Zones)
        {
            foreach (var time in times)
            {
                var recurrence = new Recurrence(WeekdaySet.Of(WeekdaySet.Week), Time(time), Zone(zoneId), true, Instant.MinValue);
                foreach (var occurrence in OccurrencesIn(recurrence, RangeStart, RangeEnd))
                {
                    Assert.Equal(occurrence.Date, RecurrenceEngine.OccurrenceDateOf(recurrence, occurrence.At));
                    var mapping = recurrence.Zone.MapLocal(occurrence.Date + recurrence.Time);
                    if (mapping.Count == 2)
                    {
                        twins++;
                        Assert.Equal(occurrence.Date, RecurrenceEngine.OccurrenceDateOf(recurrence, mapping.Last().ToInstant()));
                    }
                }
            }
        }

        Assert.True(twins > 0);
    }

    // ---- notes ----

    [Fact]
    public void Note_GapDay_SaysWhenItRuns()
    {
        var occurrence = RecurrenceEngine.On(Weekly("America/New_York", "02:30", IsoDayOfWeek.Sunday), new LocalDate(2026, 3, 8));

        Assert.Equal(
            "2026-03-08: the chosen time does not exist in America/New_York (clocks go forward); runs at 03:30",
            occurrence.Note);
        Assert.Equal("2026-03-08", occurrence.Key);
    }

    [Fact]
    public void Note_DoubledDay_SaysItRunsOnceAtTheFirst()
    {
        var occurrence = RecurrenceEngine.On(Weekly("America/New_York", "01:30", IsoDayOfWeek.Sunday), new LocalDate(2026, 11, 1));

        Assert.NotNull(occurrence.Note);
        Assert.Contains("happens twice", occurrence.Note, StringComparison.Ordinal);
        Assert.Contains("runs once, at the first", occurrence.Note, StringComparison.Ordinal);
    }

    /// <summary>
    /// The policy written out independently of the engine: the wall time read with the offset of the
    /// interval in force before any transition that day. That is the earlier instant of a doubled time,
    /// and for a skipped time the same wall time moved forward by the gap.
    /// </summary>
    private static List<(LocalDate Date, Instant At)> ExpectedOccurrences(Recurrence recurrence, LocalDate from, LocalDate to)
    {
        var expected = new List<(LocalDate, Instant)>();
        for (var date = from; date <= to; date = date.PlusDays(1))
        {
            if (!recurrence.Days.Contains(date.DayOfWeek))
            {
                continue;
            }

            var local = date + recurrence.Time;
            var mapping = recurrence.Zone.MapLocal(local);
            var at = mapping.Count switch
            {
                1 => mapping.Single().ToInstant(),
                2 => Instant.Min(mapping.First().ToInstant(), mapping.Last().ToInstant()),
                _ => local.WithOffset(mapping.EarlyInterval.WallOffset).ToInstant(),
            };
            expected.Add((date, at));
        }

        return expected;
    }

    private static List<Occurrence> OccurrencesIn(Recurrence recurrence, LocalDate from, LocalDate to)
    {
        var start = from.AtStartOfDayInZone(recurrence.Zone).ToInstant() - Duration.Epsilon;
        var all = RecurrenceEngine.Next(recurrence, start, Period.DaysBetween(from, to) + 2);
        return [.. all.TakeWhile(o => o.Date <= to)];
    }

    private static string FirstDifference(List<(LocalDate Date, Instant At)> expected, List<(LocalDate Date, Instant At)> actual)
    {
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i].ToString() : "(none)";
            var a = i < actual.Count ? actual[i].ToString() : "(none)";
            if (e != a)
            {
                return $"first difference at #{i}: expected {e}, actual {a}";
            }
        }

        return "(none)";
    }

    private static Recurrence Weekly(string zoneId, string time, params IsoDayOfWeek[] days) =>
        new(WeekdaySet.Of(days), Time(time), Zone(zoneId), true, Instant.MinValue);

    private static Recurrence OneTime(string zoneId, string time, Instant anchor, params IsoDayOfWeek[] days) =>
        new(WeekdaySet.Of(days), Time(time), Zone(zoneId), false, anchor);

    private static DateTimeZone Zone(string zoneId) => DateTimeZoneProviders.Tzdb[zoneId];

    private static LocalTime Time(string value) => LocalTimePattern.CreateWithInvariantCulture("HH':'mm").Parse(value).Value;
}
