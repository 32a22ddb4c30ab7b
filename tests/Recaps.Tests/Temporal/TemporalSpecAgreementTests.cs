using NodaTime;
using NodaTime.Text;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Temporal;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.Temporal;

/// <summary>
/// DESIGN §3: what the Temporal server fires for the translated spec (<see cref="TemporalServerCalendar"/>, a port
/// of its calendar code), after the duplicate rule of <c>ResolveChannels</c> (same occurrence date → keep the
/// earliest), is exactly the preview of <see cref="RecurrenceEngine"/>, except for the known limit of the
/// README, which <see cref="Spec_KnownLimit_FiresOnceAtTheLaterInstant"/> pins down.
/// </summary>
public class TemporalSpecAgreementTests
{
    private static readonly LocalDate From = new(2026, 1, 1);
    private static readonly LocalDate To = new(2030, 12, 31);
    private static readonly SchedulesOptions Options = new() { DstHorizonYears = 5 };

    private static readonly string[] Zones = DstZones.All;

    // Gap and overlap times of the zones above (00:00 and 00:30 for Santiago, 01:xx for Europe, 02:xx for the
    // Americas, Sydney and Lord Howe, 02:45–03:30 for Chatham), and ordinary ones.
    private static readonly string[] Times =
        ["00:00", "00:30", "01:00", "01:30", "01:45", "02:00", "02:15", "02:30", "02:45", "03:00", "03:30", "09:00", "23:30"];

    private static readonly IReadOnlyList<WeekdaySet> Masks =
    [
        // Most DST changes happen on a Sunday; Santiago's autumn overlap is late on a Saturday.
        WeekdaySet.Of(IsoDayOfWeek.Sunday),
        WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday),
        WeekdaySet.Of(WeekdaySet.Week),
        WeekdaySet.Of(IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday),

        // Santiago's spring-forward Sunday has no midnight, and the server reads the weekday of a day at its midnight.
        WeekdaySet.Of(IsoDayOfWeek.Saturday),
    ];

    public static TheoryData<string, string> ZonesAndTimes()
    {
        var data = new TheoryData<string, string>();
        foreach (var zone in Zones)
        {
            foreach (var time in Times)
            {
                data.Add(zone, time);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ZonesAndTimes))]
    public void Spec_EvaluatedLikeTemporalWithDuplicateRule_AgreesWithPreview(string zoneId, string time)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var now = From.AtStartOfDayInZone(zone).ToInstant();
        var disagreements = new List<string>();
        foreach (var mask in Masks)
        {
            var recurrence = new Recurrence(mask, Time(time), zone, true, now);

            var spec = TemporalScheduleSpecTranslator.Spec(recurrence, zoneId, Options, now);
            var kept = KeepEarliestPerOccurrenceDate(recurrence, Fires(spec, zone));
            var preview = Preview(recurrence, now);
            var expected = preview.Select(o => IsKnownLimit(zone, o.Date, recurrence.Time) ? LaterInstant(zone, o) : o.At).ToList();

            if (!expected.SequenceEqual(kept))
            {
                disagreements.Add($"{zoneId} {time} [{string.Join(",", mask.Days)}]: {Differences(zone, expected, kept)}");
            }

            Assert.Equal(PreviewCountByCalendar(mask), preview.Count);
        }

        if (disagreements.Count > 0)
        {
            Assert.Fail(string.Join(Environment.NewLine, disagreements));
        }
    }

    public static TheoryData<string, string> KnownLimitCases() => new()
    {
        // Lord Howe falls back 02:00 +11 → 01:30 +10:30: the hour before 01:30–01:59 never rolls into a two-hour hour.
        { "Australia/Lord_Howe", "01:30" },
        { "Australia/Lord_Howe", "01:45" },
        { "Australia/Lord_Howe", "01:59" },

        // Chatham falls back 03:45 +13:45 → 02:45 +12:45: 01:45–01:59 rolls into 02:00, which is not doubled.
        { "Pacific/Chatham", "02:45" },
        { "Pacific/Chatham", "02:50" },
        { "Pacific/Chatham", "02:59" },
    };

    [Theory]
    [MemberData(nameof(KnownLimitCases))]
    public void Spec_KnownLimit_FiresOnceAtTheLaterInstant(string zoneId, string time)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var now = From.AtStartOfDayInZone(zone).ToInstant();
        var fallBackDays = FallBackDays(zone).ToList();
        Assert.Equal(5, fallBackDays.Count);
        foreach (var day in fallBackDays)
        {
            var local = day + Time(time);
            var mapping = zone.MapLocal(local);
            Assert.Equal(2, mapping.Count);
            Assert.True(IsKnownLimit(zone, day, local.TimeOfDay));
            var later = mapping.Last().ToInstant();

            foreach (var mask in Masks.Where(m => m.Contains(day.DayOfWeek)))
            {
                var recurrence = new Recurrence(mask, local.TimeOfDay, zone, true, now);
                var spec = TemporalScheduleSpecTranslator.Spec(recurrence, zoneId, Options, now);
                var onThatDay = new TemporalServerCalendar(spec, To.Year + 1)
                    .Fires(day.AtStartOfDayInZone(zone).ToInstant(), day.PlusDays(1).AtStartOfDayInZone(zone).ToInstant());

                // Once, before the duplicate rule too, at the second instant; the policy's run is the first one,
                // half an hour (Lord Howe) or an hour (Chatham) earlier.
                Assert.Equal([later], onThatDay);
                Assert.Equal(mapping.First().ToInstant(), RecurrenceEngine.On(recurrence, day).At);
                Assert.Equal(Duration.FromMinutes(zoneId == "Pacific/Chatham" ? 60 : 30), later - mapping.First().ToInstant());

                // A one-time schedule created that midnight runs there too.
                var anchor = day.AtStartOfDayInZone(zone).ToInstant();
                var once = new Recurrence(mask, local.TimeOfDay, zone, false, anchor);
                var onceSpec = TemporalScheduleSpecTranslator.Spec(once, zoneId, Options, anchor);
                Assert.Equal(later, new TemporalServerCalendar(onceSpec, To.Year + 1).NextTime(anchor));
            }
        }
    }

    public static TheoryData<string, string> OneTimeCases() => new()
    {
        { "America/New_York", "02:30" },
        { "America/New_York", "01:30" },
        { "Europe/London", "01:30" },
        { "Europe/Dublin", "01:00" },
        { "Australia/Sydney", "02:30" },
        { "Australia/Lord_Howe", "02:15" },
        { "Australia/Lord_Howe", "01:45" },
        { "Pacific/Chatham", "03:00" },
        { "America/Santiago", "00:30" },
        { "America/Santiago", "23:30" },
        { "Asia/Kolkata", "09:00" },
        { "Africa/Casablanca", "02:30" },
    };

    [Theory]
    [MemberData(nameof(OneTimeCases))]
    public void Spec_OneTimeEvaluatedLikeTemporal_FirstFireAfterCreationIsTheOccurrence(string zoneId, string time)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];

        // Created at the start of the year and two days before each DST transition of the horizon.
        var anchors = zone.GetZoneIntervals(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2031, 1, 1, 0, 0))
            .Skip(1)
            .Select(i => i.Start - Duration.FromDays(2))
            .Prepend(Instant.FromUtc(2026, 1, 1, 0, 0))
            .ToList();
        foreach (var anchor in anchors)
        {
            foreach (var mask in Masks)
            {
                var recurrence = new Recurrence(mask, Time(time), zone, false, anchor);
                var occurrence = Assert.Single(RecurrenceEngine.Next(recurrence, anchor, 3));
                var expected = IsKnownLimit(zone, occurrence.Date, recurrence.Time) ? LaterInstant(zone, occurrence) : occurrence.At;

                var spec = TemporalScheduleSpecTranslator.Spec(recurrence, zoneId, Options, anchor);
                var anchorDate = anchor.InZone(zone).Date;

                // RemainingActions = 1: only the first fire after the schedule is created starts a run.
                var first = new TemporalServerCalendar(spec, anchorDate.Year + 1).NextTime(anchor);
                if (expected != first)
                {
                    Assert.Fail($"{zoneId} {time} [{string.Join(",", mask.Days)}] from {anchor}: Temporal {first}, expected {expected}");
                }
            }
        }
    }

    [Fact]
    public void Spec_WithoutItsPinnedEntries_MissesTheGapDays()
    {
        // Shows the evaluator can tell: the weekly calendar alone skips each spring-forward Sunday.
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var now = From.AtStartOfDayInZone(zone).ToInstant();
        var recurrence = new Recurrence(WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(2, 30), zone, true, now);
        var spec = TemporalScheduleSpecTranslator.Spec(recurrence, "America/New_York", Options, now);
        var weeklyOnly = spec with { Calendars = [spec.Calendars.First()], Skip = [] };

        var withPins = KeepEarliestPerOccurrenceDate(recurrence, Fires(spec, zone));
        var withoutPins = KeepEarliestPerOccurrenceDate(recurrence, Fires(weeklyOnly, zone));

        Assert.Equal(
            [
                Instant.FromUtc(2026, 3, 8, 7, 30), Instant.FromUtc(2027, 3, 14, 7, 30), Instant.FromUtc(2028, 3, 12, 7, 30),
                Instant.FromUtc(2029, 3, 11, 7, 30), Instant.FromUtc(2030, 3, 10, 7, 30),
            ],
            withPins.Except(withoutPins));
        Assert.Empty(withoutPins.Except(withPins));
    }

    [Fact]
    public void Spec_WithoutItsDstEntries_MissesTheGapAndRunsLateOnFallBack()
    {
        // Shows the evaluator can tell: in London the weekly calendar alone skips each spring-forward Sunday
        // and fires 01:30 GMT, the later instant, on each fall-back Sunday.
        var zone = DateTimeZoneProviders.Tzdb["Europe/London"];
        var now = From.AtStartOfDayInZone(zone).ToInstant();
        var recurrence = new Recurrence(WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(1, 30), zone, true, now);
        var spec = TemporalScheduleSpecTranslator.Spec(recurrence, "Europe/London", Options, now);
        var weeklyOnly = spec with { Calendars = [spec.Calendars.First()], Skip = [] };

        var withEntries = KeepEarliestPerOccurrenceDate(recurrence, Fires(spec, zone));
        var withoutEntries = KeepEarliestPerOccurrenceDate(recurrence, Fires(weeklyOnly, zone));

        Assert.Equal(
            [
                Instant.FromUtc(2026, 3, 29, 1, 30), Instant.FromUtc(2026, 10, 25, 0, 30),
                Instant.FromUtc(2027, 3, 28, 1, 30), Instant.FromUtc(2027, 10, 31, 0, 30),
                Instant.FromUtc(2028, 3, 26, 1, 30), Instant.FromUtc(2028, 10, 29, 0, 30),
                Instant.FromUtc(2029, 3, 25, 1, 30), Instant.FromUtc(2029, 10, 28, 0, 30),
                Instant.FromUtc(2030, 3, 31, 1, 30), Instant.FromUtc(2030, 10, 27, 0, 30),
            ],
            withEntries.Except(withoutEntries));
        Assert.Equal(
            [
                Instant.FromUtc(2026, 10, 25, 1, 30), Instant.FromUtc(2027, 10, 31, 1, 30), Instant.FromUtc(2028, 10, 29, 1, 30),
                Instant.FromUtc(2029, 10, 28, 1, 30), Instant.FromUtc(2030, 10, 27, 1, 30),
            ],
            withoutEntries.Except(withEntries));
    }

    [Fact]
    public void Spec_OnAFallBackDay_FiresTwiceBeforeTheDuplicateRule()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var now = From.AtStartOfDayInZone(zone).ToInstant();
        var recurrence = new Recurrence(WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(1, 30), zone, true, now);
        var spec = TemporalScheduleSpecTranslator.Spec(recurrence, "America/New_York", Options, now);
        var day = new LocalDate(2026, 11, 1);

        var fired = new TemporalServerCalendar(spec, day.Year + 1)
            .Fires(day.AtStartOfDayInZone(zone).ToInstant(), day.PlusDays(1).AtStartOfDayInZone(zone).ToInstant());
        var kept = KeepEarliestPerOccurrenceDate(recurrence, fired);

        Assert.Equal([Instant.FromUtc(2026, 11, 1, 5, 30), Instant.FromUtc(2026, 11, 1, 6, 30)], fired);
        Assert.Equal([Instant.FromUtc(2026, 11, 1, 5, 30)], kept);
    }

    /// <summary>Every nominal time from the start of <see cref="From"/> to the end of <see cref="To"/> in the zone.</summary>
    private static IReadOnlyList<Instant> Fires(ScheduleSpec spec, DateTimeZone zone) =>
        new TemporalServerCalendar(spec, To.Year + 1).Fires(
            From.AtStartOfDayInZone(zone).ToInstant() - Duration.FromSeconds(1),
            To.PlusDays(1).AtStartOfDayInZone(zone).ToInstant() - Duration.FromSeconds(1));

    /// <summary>What <c>ResolveChannels</c> does with the fires: one run per occurrence date, the earliest.</summary>
    private static List<Instant> KeepEarliestPerOccurrenceDate(Recurrence recurrence, IReadOnlyList<Instant> fired) =>
        [.. fired.GroupBy(f => RecurrenceEngine.OccurrenceDateOf(recurrence, f)).Select(g => g.Min()).Order()];

    private static List<Occurrence> Preview(Recurrence recurrence, Instant now)
    {
        var end = To.PlusDays(1).AtStartOfDayInZone(recurrence.Zone).ToInstant();
        return [.. RecurrenceEngine.Next(recurrence, now - Duration.Epsilon, Period.DaysBetween(From, To) + 2)
            .TakeWhile(o => o.At < end)];
    }

    /// <summary>
    /// The known limit (README, DST): a doubled wall time that Go's <c>time.Date</c> resolves to the later instant
    /// and whose hour before cannot roll over into the first one — all of Lord Howe's half-hour overlap, and
    /// Chatham's 02:45–02:59 — runs once, at the later instant.
    /// </summary>
    private static bool IsKnownLimit(DateTimeZone zone, LocalDate date, LocalTime time) =>
        zone.MapLocal(date + time).Count == 2
        && (zone.Id == "Australia/Lord_Howe" || (zone.Id == "Pacific/Chatham" && time < new LocalTime(3, 0)));

    private static Instant LaterInstant(DateTimeZone zone, Occurrence occurrence) =>
        zone.MapLocal(occurrence.Local.LocalDateTime).Last().ToInstant();

    /// <summary>The dates from <see cref="From"/> to <see cref="To"/> on which clocks go back.</summary>
    private static IEnumerable<LocalDate> FallBackDays(DateTimeZone zone) =>
        zone.GetZoneIntervals(From.AtStartOfDayInZone(zone).ToInstant(), To.PlusDays(1).AtStartOfDayInZone(zone).ToInstant())
            .Skip(1)
            .Where(i => i.WallOffset < zone.GetZoneInterval(i.Start - Duration.Epsilon).WallOffset)
            .Select(i => i.Start.InZone(zone).Date);

    /// <summary>The number of matching dates 2026–2030, counted on the calendar alone.</summary>
    private static int PreviewCountByCalendar(WeekdaySet mask)
    {
        var count = 0;
        for (var date = From; date <= To; date = date.PlusDays(1))
        {
            count += mask.Contains(date.DayOfWeek) ? 1 : 0;
        }

        return count;
    }

    /// <summary>Every run expected and not fired, and the other way round, with local times.</summary>
    private static string Differences(DateTimeZone zone, List<Instant> expected, List<Instant> temporal)
    {
        string Show(Instant at) => $"{at} ({at.InZone(zone).LocalDateTime:uuuu'-'MM'-'dd HH':'mm} {at.InZone(zone).Offset})";
        var missing = expected.Except(temporal).Select(Show).ToList();
        var extra = temporal.Except(expected).Select(Show).ToList();
        return $"Temporal misses {missing.Count} [{string.Join(", ", missing.Take(12))}]; "
            + $"Temporal adds {extra.Count} [{string.Join(", ", extra.Take(12))}]";
    }

    private static LocalTime Time(string value) => LocalTimePattern.CreateWithInvariantCulture("HH':'mm").Parse(value).Value;
}
