using NodaTime;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.Temporal;

public class TemporalScheduleSpecTranslatorTests
{
    private const string TaskQueue = "recaps-test";

    private static readonly SchedulesOptions Options = new();

    private static readonly Instant Now = Instant.FromUtc(2026, 1, 1, 12, 0);

    // ---- the weekly calendar ----

    [Fact]
    public void Spec_MondayToFriday_IsOneDayOfWeekRange()
    {
        var calendar = Assert.Single(SpecOf(TestSchedules.Weekday0900NewYork()).Calendars);

        Assert.Equal([new ScheduleRange(1, 5)], calendar.DayOfWeek);
        Assert.Equal([new ScheduleRange(9)], calendar.Hour);
        Assert.Equal([new ScheduleRange(0)], calendar.Minute);
        Assert.Equal([new ScheduleRange(0)], calendar.Second);
        Assert.Empty(calendar.Year);
        Assert.Equal([new ScheduleRange(1, 12)], calendar.Month);
        Assert.Equal([new ScheduleRange(1, 31)], calendar.DayOfMonth);
        Assert.Equal("monday, tuesday, wednesday, thursday, friday at 09:00", calendar.Comment);
    }

    public static TheoryData<IsoDayOfWeek[], int[][]> DayOfWeekCases => new()
    {
        { [IsoDayOfWeek.Sunday], [[0, 0]] },
        { [IsoDayOfWeek.Saturday], [[6, 6]] },
        { [IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday], [[0, 0], [6, 6]] },
        { [IsoDayOfWeek.Sunday, IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday], [[0, 2]] },
        { [IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday], [[2, 2], [4, 4]] },
        { [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday], [[1, 1], [3, 4], [6, 6]] },
        { [IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday, IsoDayOfWeek.Monday], [[0, 1], [5, 6]] },
        { [.. WeekdaySet.Week], [[0, 6]] },
    };

    [Theory]
    [MemberData(nameof(DayOfWeekCases))]
    public void Spec_DaysOfWeek_CountFromSundayZeroInConsecutiveRanges(IsoDayOfWeek[] days, int[][] expected)
    {
        var schedule = TestSchedules.Create(WeekdaySet.Of(days), new LocalTime(9, 0), "Asia/Kolkata");

        var calendar = Assert.Single(SpecOf(schedule).Calendars);

        Assert.Equal(expected.Select(r => new ScheduleRange(r[0], r[1])), calendar.DayOfWeek);
    }

    [Fact]
    public void Spec_HourAndMinute_AreTheChosenWallTime()
    {
        var schedule = TestSchedules.Create(WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(23, 45), "Europe/London");

        var calendar = SpecOf(schedule).Calendars.First();

        Assert.Equal([new ScheduleRange(23)], calendar.Hour);
        Assert.Equal([new ScheduleRange(45)], calendar.Minute);
        Assert.Equal([new ScheduleRange(0)], calendar.DayOfWeek);
    }

    [Fact]
    public void Spec_TimeZoneName_IsTheIdAsChosen()
    {
        var schedule = TestSchedules.Create(WeekdaySet.Of(IsoDayOfWeek.Monday), new LocalTime(9, 0), "US/Eastern");

        Assert.Equal("US/Eastern", SpecOf(schedule).TimeZoneName);
    }

    [Fact]
    public void Spec_JitterFromOptions()
    {
        var options = new SchedulesOptions { Jitter = TimeSpan.FromSeconds(90) };

        var schedule = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), options, TaskQueue, Now);

        Assert.Equal(TimeSpan.FromSeconds(90), schedule.Spec.Jitter);
    }

    [Fact]
    public void Spec_DefaultOptions_JitterOneMinute()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), SpecOf(TestSchedules.Weekday0900NewYork()).Jitter);
    }

    [Fact]
    public void Spec_OnlyCalendars_NoIntervalsCronSkipOrBounds()
    {
        var spec = SpecOf(TestSchedules.Create(WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(2, 30), "America/New_York"));

        Assert.Empty(spec.Intervals);
        Assert.Empty(spec.CronExpressions);
        Assert.Empty(spec.Skip);
        Assert.Null(spec.StartAt);
        Assert.Null(spec.EndAt);
    }

    // ---- pinned DST-gap entries ----

    [Fact]
    public void Spec_NewYorkSunday0230_PinsTheSecondSundayOfMarchAt0330ForFiveYears()
    {
        var spec = SpecOf(TestSchedules.Create(WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(2, 30), "America/New_York"));

        var pinned = spec.Calendars.Skip(1).ToList();

        Assert.Equal(
            ["2026-03-08", "2027-03-14", "2028-03-12", "2029-03-11", "2030-03-10"],
            pinned.Select(PinnedDate));
        Assert.All(pinned, c =>
        {
            Assert.Equal([new ScheduleRange(3)], c.Hour);
            Assert.Equal([new ScheduleRange(30)], c.Minute);
            Assert.Equal([new ScheduleRange(0)], c.Second);
            Assert.Equal([new ScheduleRange(0, 6)], c.DayOfWeek);
            Assert.Contains("02:30 does not exist on " + PinnedDate(c), c.Comment, StringComparison.Ordinal);
            Assert.Contains("runs at 03:30", c.Comment, StringComparison.Ordinal);
        });
    }

    public static TheoryData<string, string, string, string[]> HandComputedGapDays => new()
    {
        // First Sunday of October, 02:00 → 02:30.
        { "Australia/Lord_Howe", "02:15", "02:45", ["2026-10-04", "2027-10-03", "2028-10-01", "2029-10-07", "2030-10-06"] },
        // Last Sunday of September, 02:45 → 03:45.
        { "Pacific/Chatham", "03:00", "04:00", ["2026-09-27", "2027-09-26", "2028-09-24", "2029-09-30", "2030-09-29"] },
        { "Pacific/Chatham", "02:45", "03:45", ["2026-09-27", "2027-09-26", "2028-09-24", "2029-09-30", "2030-09-29"] },
        // First Sunday on or after 2 September, 00:00 → 01:00.
        { "America/Santiago", "00:30", "01:30", ["2026-09-06", "2027-09-05", "2028-09-03", "2029-09-02", "2030-09-08"] },
        // Last Sunday of March, 01:00 → 02:00.
        { "Europe/Dublin", "01:30", "02:30", ["2026-03-29", "2027-03-28", "2028-03-26", "2029-03-25", "2030-03-31"] },
    };

    [Theory]
    [MemberData(nameof(HandComputedGapDays))]
    public void Spec_GapTimeOnSundays_PinsEachGapDayAtTheShiftedTime(string zoneId, string time, string shifted, string[] dates)
    {
        var chosen = LocalTime.Midnight.PlusMinutes(Minutes(time));
        var spec = SpecOf(TestSchedules.Create(WeekdaySet.Of(IsoDayOfWeek.Sunday), chosen, zoneId));

        var pinned = GapEntries(spec).ToList();

        Assert.Equal(dates, pinned.Select(PinnedDate));
        Assert.All(pinned, c =>
        {
            Assert.Equal([new ScheduleRange(Minutes(shifted) / 60)], c.Hour);
            Assert.Equal([new ScheduleRange(Minutes(shifted) % 60)], c.Minute);
            Assert.Contains($"runs at {shifted}", c.Comment, StringComparison.Ordinal);
        });
    }

    public static TheoryData<string, string> ZonesAndTimes()
    {
        var data = new TheoryData<string, string>();
        string[] times = ["00:00", "00:30", "01:00", "01:30", "02:00", "02:15", "02:30", "02:45", "03:00", "03:30", "09:00"];
        foreach (var zone in DstZones.All)
        {
            foreach (var time in times)
            {
                data.Add(zone, time);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ZonesAndTimes))]
    public void Spec_AnyZoneAndTime_PinsExactlyTheDaysWhoseWallTimeDoesNotExist(string zoneId, string time)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var chosen = LocalTime.Midnight.PlusMinutes(Minutes(time));
        var days = WeekdaySet.Of(WeekdaySet.Week);
        var now = new LocalDate(2026, 1, 1).AtStartOfDayInZone(zone).ToInstant();
        var recurrence = new Recurrence(days, chosen, zone, true, now);

        var spec = TemporalScheduleSpecTranslator.Spec(recurrence, zoneId, Options, now);

        // Found by trying every date of the horizon, not by walking the zone's transitions as the translator does.
        var expected = new List<string>();
        for (var date = new LocalDate(2026, 1, 1); date < new LocalDate(2031, 1, 1); date = date.PlusDays(1))
        {
            var mapping = zone.MapLocal(date + chosen);
            if (mapping.Count == 0)
            {
                var shifted = (date + chosen).PlusSeconds((mapping.LateInterval.WallOffset - mapping.EarlyInterval.WallOffset).Seconds);
                expected.Add($"{date:uuuu'-'MM'-'dd} {shifted.TimeOfDay:HH':'mm}");
            }
        }

        var pinned = GapEntries(spec).Select(c => $"{PinnedDate(c)} {c.Hour.Single().Start:00}:{c.Minute.Single().Start:00}");
        Assert.Equal(expected, pinned);
        if (zoneId == "Asia/Kolkata")
        {
            Assert.Empty(expected);
        }
    }

    public static TheoryData<string, string, string, string[]> HandComputedSteeredFallBackDays => new()
    {
        // Go's time.Date takes the second 02:30 in Sydney (offset after the change ≥ 0), so the
        // entry is pinned at 01:30, which Temporal rolls over into the first 02:30.
        { "Australia/Sydney", "02:30", "01:30", ["2026-04-05", "2027-04-04", "2028-04-02", "2029-04-01", "2030-04-07"] },
        { "Europe/London", "01:30", "00:30", ["2026-10-25", "2027-10-31", "2028-10-29", "2029-10-28", "2030-10-27"] },
        { "Europe/London", "01:00", "00:00", ["2026-10-25", "2027-10-31", "2028-10-29", "2029-10-28", "2030-10-27"] },
    };

    [Theory]
    [MemberData(nameof(HandComputedSteeredFallBackDays))]
    public void Spec_DoubledTimeWhereTemporalTakesTheSecond_PinsTheHourBeforeAndSkipsItsOwnFire(string zoneId, string time, string pinnedAt, string[] dates)
    {
        var spec = SpecOf(TestSchedules.Create(WeekdaySet.Of(IsoDayOfWeek.Sunday), LocalTime.Midnight.PlusMinutes(Minutes(time)), zoneId));

        var steered = spec.Calendars.Skip(1).Except(GapEntries(spec)).ToList();

        Assert.Equal(dates, steered.Select(PinnedDate));
        Assert.Equal(dates, spec.Skip.Select(PinnedDate));
        Assert.All(steered.Concat(spec.Skip), c =>
        {
            Assert.Equal([new ScheduleRange(Minutes(pinnedAt) / 60)], c.Hour);
            Assert.Equal([new ScheduleRange(Minutes(pinnedAt) % 60)], c.Minute);
            Assert.Contains($"{time} happens twice", c.Comment, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("America/New_York", "01:30")] // Temporal fires the first 01:30 itself; the workflow drops the second.
    [InlineData("America/Santiago", "23:30")]
    [InlineData("Australia/Lord_Howe", "01:45")] // a 30-minute overlap: no entry can land on the first; runs at the second.
    public void Spec_DoubledTimeNotSteerable_PinsNothingForIt(string zoneId, string time)
    {
        var spec = SpecOf(TestSchedules.Create(WeekdaySet.Of(WeekdaySet.Week), LocalTime.Midnight.PlusMinutes(Minutes(time)), zoneId));

        Assert.Empty(spec.Skip);
        Assert.Empty(spec.Calendars.Skip(1).Except(GapEntries(spec)));
    }

    private static readonly string[] SantiagoSpringForwardSundays = ["2026-09-06", "2027-09-05", "2028-09-03", "2029-09-02", "2030-09-08"];

    [Fact]
    public void Spec_SundaysInSantiago_PinsTheSundaysTemporalTakesForSaturdays()
    {
        // Santiago springs forward at midnight: Temporal's weekday check at 00:00 lands on Saturday 23:00.
        var spec = SpecOf(TestSchedules.Create(WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(9, 0), "America/Santiago"));

        var pinned = spec.Calendars.Skip(1).ToList();

        Assert.Equal(SantiagoSpringForwardSundays, pinned.Select(PinnedDate));
        Assert.All(pinned, c => Assert.Equal([new ScheduleRange(9)], c.Hour));
        Assert.Empty(spec.Skip);
    }

    [Fact]
    public void Spec_SaturdaysInSantiago_SkipsTheSundaysTemporalTakesForSaturdays()
    {
        var spec = SpecOf(TestSchedules.Create(WeekdaySet.Of(IsoDayOfWeek.Saturday), new LocalTime(9, 0), "America/Santiago"));

        Assert.Single(spec.Calendars);
        Assert.Equal(SantiagoSpringForwardSundays, spec.Skip.Select(PinnedDate));
        Assert.All(spec.Skip, c => Assert.Equal([new ScheduleRange(9)], c.Hour));
    }

    [Fact]
    public void Spec_WeekendsInSantiago_NeedNoWeekdayCorrection()
    {
        var spec = SpecOf(TestSchedules.Create(WeekdaySet.Of(IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday), new LocalTime(9, 0), "America/Santiago"));

        Assert.Single(spec.Calendars);
        Assert.Empty(spec.Skip);
    }

    [Fact]
    public void Spec_GapTimeOnNonGapWeekdays_PinsNothing()
    {
        // New York's gap is always on a Sunday.
        var spec = SpecOf(TestSchedules.Create(
            WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday),
            new LocalTime(2, 30),
            "America/New_York"));

        Assert.Single(spec.Calendars);
    }

    [Theory]
    [InlineData("America/New_York", "01:30")] // doubled in November, never skipped
    [InlineData("America/New_York", "09:00")]
    [InlineData("Europe/London", "02:00")]    // 02:00 exists on both change days
    [InlineData("Asia/Kolkata", "02:30")]
    [InlineData("Asia/Kolkata", "00:00")]
    public void Spec_TimeNeverInAGap_HasOnlyTheWeeklyCalendar(string zoneId, string time)
    {
        var spec = SpecOf(TestSchedules.Create(WeekdaySet.Of(WeekdaySet.Week), LocalTime.Midnight.PlusMinutes(Minutes(time)), zoneId));

        Assert.Single(spec.Calendars);
    }

    [Fact]
    public void Spec_Horizon_FollowsDstHorizonYears()
    {
        var options = new SchedulesOptions { DstHorizonYears = 2 };
        var schedule = TestSchedules.Create(WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(2, 30), "America/New_York");

        var spec = TemporalScheduleSpecTranslator.Translate(schedule, options, TaskQueue, Now).Spec;

        Assert.Equal(["2026-03-08", "2027-03-14"], spec.Calendars.Skip(1).Select(PinnedDate));
    }

    [Fact]
    public void Spec_Horizon_StartsAtNow()
    {
        var schedule = TestSchedules.Create(WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(2, 30), "America/New_York");

        var spec = TemporalScheduleSpecTranslator.Translate(schedule, Options, TaskQueue, Instant.FromUtc(2026, 6, 1, 0, 0)).Spec;

        Assert.Equal(["2027-03-14", "2028-03-12", "2029-03-11", "2030-03-10", "2031-03-09"], spec.Calendars.Skip(1).Select(PinnedDate));
    }

    // ---- one-time ----

    [Fact]
    public void Translate_OneTime_IsOnePinnedEntryWithOneAction()
    {
        // Created Thursday 2026-01-01 07:00 EST; the first Monday 09:00 after is 2026-01-05.
        var schedule = TestSchedules.Create(
            WeekdaySet.Of(IsoDayOfWeek.Monday), new LocalTime(9, 0), "America/New_York", recurring: false, anchor: Now);

        var translated = TemporalScheduleSpecTranslator.Translate(schedule, Options, TaskQueue, Now);

        var only = Assert.Single(translated.Spec.Calendars);
        Assert.Equal("2026-01-05", PinnedDate(only));
        Assert.Equal([new ScheduleRange(9)], only.Hour);
        Assert.Equal([new ScheduleRange(0)], only.Minute);
        Assert.Contains("once", only.Comment, StringComparison.Ordinal);
        Assert.True(translated.State.LimitedActions);
        Assert.Equal(1, translated.State.RemainingActions);
    }

    [Fact]
    public void Translate_OneTimeOnAGapDay_PinsTheShiftedTime()
    {
        var schedule = TestSchedules.Create(
            WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(2, 30), "America/New_York", recurring: false, anchor: Instant.FromUtc(2026, 3, 7, 12, 0));

        var only = Assert.Single(TemporalScheduleSpecTranslator.Translate(schedule, Options, TaskQueue, Now).Spec.Calendars);

        Assert.Equal("2026-03-08", PinnedDate(only));
        Assert.Equal([new ScheduleRange(3)], only.Hour);
        Assert.Equal([new ScheduleRange(30)], only.Minute);
    }

    [Fact]
    public void Translate_Recurring_HasUnlimitedActions()
    {
        var translated = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), Options, TaskQueue, Now);

        Assert.False(translated.State.LimitedActions);
        Assert.Equal(0, translated.State.RemainingActions);
    }

    // ---- policy, state, action ----

    [Fact]
    public void Translate_Policy_SkipsOverlapsNeverPausesOnFailureAndUsesTheCatchupWindow()
    {
        var options = new SchedulesOptions { CatchupWindow = TimeSpan.FromMinutes(45) };

        var policy = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), options, TaskQueue, Now).Policy;

        Assert.Equal(ScheduleOverlapPolicy.Skip, policy.Overlap);
        Assert.False(policy.PauseOnFailure);
        Assert.Equal(TimeSpan.FromMinutes(45), policy.CatchupWindow);
    }

    [Fact]
    public void Translate_DefaultOptions_CatchupWindowSixHours()
    {
        var policy = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), Options, TaskQueue, Now).Policy;

        Assert.Equal(TimeSpan.FromHours(6), policy.CatchupWindow);
    }

    [Fact]
    public void Translate_ActiveSchedule_IsNotPausedAndNoteIsNotAUserPause()
    {
        var state = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), Options, TaskQueue, Now).State;

        Assert.False(state.Paused);
        Assert.DoesNotContain("recaps:user:", state.Note ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_PausedByUser_IsPausedWithTheUserPrefixAndReason()
    {
        var schedule = TestSchedules.Weekday0900NewYork() with { Status = ScheduleStatuses.Paused, PausedBy = "user", PauseReason = "on holiday" };

        var state = TemporalScheduleSpecTranslator.Translate(schedule, Options, TaskQueue, Now).State;

        Assert.True(state.Paused);
        Assert.Equal("recaps:user: on holiday", state.Note);
    }

    [Fact]
    public void Translate_PausedByUserWithoutReason_NoteIsThePrefix()
    {
        var schedule = TestSchedules.Weekday0900NewYork() with { Status = ScheduleStatuses.Paused, PausedBy = "user", PauseReason = null };

        var state = TemporalScheduleSpecTranslator.Translate(schedule, Options, TaskQueue, Now).State;

        Assert.True(state.Paused);
        Assert.StartsWith("recaps:user:", state.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_Action_StartsRecapWorkflowWithThePrefixedIdOnTheTaskQueue()
    {
        var translated = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), Options, TaskQueue, Now);

        var action = Assert.IsType<ScheduleActionStartWorkflow>(translated.Action);
        Assert.Equal("RecapWorkflow", action.Workflow);
        Assert.Equal($"recap-{TestSchedules.Id}", action.Options.Id);
        Assert.Equal(TaskQueue, action.Options.TaskQueue);
        var request = Assert.IsType<RecapRequest>(Assert.Single(action.Args));
        Assert.Equal(new RecapRequest(TestSchedules.Id, null, null), request);
        Assert.NotNull(action.Options.Memo);
        Assert.Equal("user-1", action.Options.Memo["userId"]);
        Assert.Equal("Standup digest", action.Options.Memo["title"]);
    }

    [Fact]
    public void ScheduleId_IsPrefixedWithRecapSchedule()
    {
        Assert.Equal("recap-schedule-6f1c2a4e-8b0d-4c3e-9a5f-0123456789ab", TemporalScheduleSpecTranslator.ScheduleId(TestSchedules.Id));
        Assert.Equal("recap-6f1c2a4e-8b0d-4c3e-9a5f-0123456789ab", TemporalScheduleSpecTranslator.WorkflowIdPrefix(TestSchedules.Id));
    }

    private static ScheduleSpec SpecOf(StoredSchedule schedule) =>
        TemporalScheduleSpecTranslator.Translate(schedule, Options, TaskQueue, Now).Spec;

    private static string PinnedDate(ScheduleCalendarSpec calendar) =>
        $"{calendar.Year.Single().Start:0000}-{calendar.Month.Single().Start:00}-{calendar.DayOfMonth.Single().Start:00}";

    private static int Minutes(string hhmm) => (int.Parse(hhmm[..2], System.Globalization.CultureInfo.InvariantCulture) * 60)
        + int.Parse(hhmm[3..], System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<ScheduleCalendarSpec> GapEntries(ScheduleSpec spec) =>
        spec.Calendars.Where(c => c.Comment?.Contains("does not exist", StringComparison.Ordinal) == true);
}
