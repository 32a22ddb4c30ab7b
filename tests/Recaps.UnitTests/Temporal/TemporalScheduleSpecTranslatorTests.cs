using NodaTime;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.Temporal;

public class TemporalScheduleSpecTranslatorTests
{
    private const string TaskQueue = "recaps-test";

    private static readonly SchedulesOptions Options = new();

    private static readonly Instant Now = Instant.FromUtc(2026, 1, 1, 12, 0);

    [Fact]
    public void Spec_IsReadInUtcWithTheJitterFromOptions()
    {
        var options = new SchedulesOptions { Jitter = TimeSpan.FromSeconds(17) };

        var spec = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), TimeZoneData.BuiltIn, options, TaskQueue, Now).Spec;

        Assert.Equal("UTC", spec.TimeZoneName);
        Assert.Equal(TimeSpan.FromSeconds(17), spec.Jitter);
        Assert.Empty(spec.Skip);
        Assert.Empty(spec.Intervals);
        Assert.Empty(spec.CronExpressions);
        Assert.Null(spec.StartAt);
        Assert.Null(spec.EndAt);
    }

    [Fact]
    public void Spec_Horizon_FollowsSpecHorizonYears()
    {
        var shorter = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), TimeZoneData.BuiltIn, new SchedulesOptions { SpecHorizonYears = 12 }, TaskQueue, Now).Spec;

        Assert.Equal(2026 + 12, shorter.Calendars.Max(c => c.Year.Single().End));
    }

    // ---- one-time ----

    [Fact]
    public void Translate_OneTime_IsOneUtcEntryWithOneAction()
    {
        // Created Thursday 2026-01-01 07:00 EST; the first Monday 09:00 after is 2026-01-05.
        var schedule = TestSchedules.Create(
            WeekdaySet.Of(IsoDayOfWeek.Monday), new LocalTime(9, 0), "America/New_York", recurring: false, anchor: Now);

        var translated = TemporalScheduleSpecTranslator.Translate(schedule, TimeZoneData.BuiltIn, Options, TaskQueue, Now);

        var only = Assert.Single(translated.Spec.Calendars);
        Assert.Equal("2026-01-05", PinnedDate(only));
        Assert.Equal([new ScheduleRange(14)], only.Hour);
        Assert.Equal([new ScheduleRange(0)], only.Minute);
        Assert.Contains("once", only.Comment, StringComparison.Ordinal);
        Assert.True(translated.State.LimitedActions);
        Assert.Equal(1, translated.State.RemainingActions);
    }

    [Fact]
    public void Translate_OneTimeOnAGapDay_PinsTheShiftedTimeInUtc()
    {
        var schedule = TestSchedules.Create(
            WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(2, 30), "America/New_York", recurring: false, anchor: Instant.FromUtc(2026, 3, 7, 12, 0));

        var only = Assert.Single(TemporalScheduleSpecTranslator.Translate(schedule, TimeZoneData.BuiltIn, Options, TaskQueue, Now).Spec.Calendars);

        Assert.Equal("2026-03-08", PinnedDate(only));
        Assert.Equal([new ScheduleRange(7)], only.Hour);
        Assert.Equal([new ScheduleRange(30)], only.Minute);
    }

    [Fact]
    public void Translate_Recurring_HasUnlimitedActions()
    {
        var translated = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), TimeZoneData.BuiltIn, Options, TaskQueue, Now);

        Assert.False(translated.State.LimitedActions);
        Assert.Equal(0, translated.State.RemainingActions);
    }

    // ---- policy, state, action ----

    [Fact]
    public void Translate_Policy_SkipsOverlapsNeverPausesOnFailureAndUsesTheCatchupWindow()
    {
        var options = new SchedulesOptions { CatchupWindow = TimeSpan.FromMinutes(45) };

        var policy = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), TimeZoneData.BuiltIn, options, TaskQueue, Now).Policy;

        Assert.Equal(ScheduleOverlapPolicy.Skip, policy.Overlap);
        Assert.False(policy.PauseOnFailure);
        Assert.Equal(TimeSpan.FromMinutes(45), policy.CatchupWindow);
    }

    [Fact]
    public void Translate_DefaultOptions_CatchupWindowSixHours()
    {
        var policy = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), TimeZoneData.BuiltIn, Options, TaskQueue, Now).Policy;

        Assert.Equal(TimeSpan.FromHours(6), policy.CatchupWindow);
    }

    [Fact]
    public void Translate_ActiveSchedule_IsNotPausedAndNoteIsNotAUserPause()
    {
        var state = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), TimeZoneData.BuiltIn, Options, TaskQueue, Now).State;

        Assert.False(state.Paused);
        Assert.DoesNotContain("recaps:user:", state.Note ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_PausedByUser_IsPausedWithTheUserPrefixAndReason()
    {
        var schedule = TestSchedules.Weekday0900NewYork() with { Status = ScheduleStatus.Paused, PausedBy = PauseOwner.User, PauseReason = "on holiday" };

        var state = TemporalScheduleSpecTranslator.Translate(schedule, TimeZoneData.BuiltIn, Options, TaskQueue, Now).State;

        Assert.True(state.Paused);
        Assert.Equal("recaps:user: on holiday", state.Note);
    }

    [Fact]
    public void Translate_PausedByUserWithoutReason_NoteIsThePrefix()
    {
        var schedule = TestSchedules.Weekday0900NewYork() with { Status = ScheduleStatus.Paused, PausedBy = PauseOwner.User, PauseReason = null };

        var state = TemporalScheduleSpecTranslator.Translate(schedule, TimeZoneData.BuiltIn, Options, TaskQueue, Now).State;

        Assert.True(state.Paused);
        Assert.StartsWith("recaps:user:", state.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_Action_StartsRecapWorkflowWithThePrefixedIdOnTheTaskQueue()
    {
        var translated = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), TimeZoneData.BuiltIn, Options, TaskQueue, Now);

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

    private static string PinnedDate(ScheduleCalendarSpec calendar) =>
        $"{calendar.Year.Single().Start:0000}-{calendar.Month.Single().Start:00}-{calendar.DayOfMonth.Single().Start:00}";
}
