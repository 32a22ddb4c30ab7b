using System.Text.Json;
using NodaTime;
using Recaps.Api.Schedules;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Temporal;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.Temporal;

public class TemporalScheduleViewTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static readonly Instant Now = Instant.FromUtc(2026, 1, 1, 12, 0);

    private static readonly string ScheduleId = TemporalScheduleSpecTranslator.ScheduleId(TestSchedules.Id);

    [Fact]
    public void From_Schedule_RendersEveryCalendarFieldAsInTheSchedule()
    {
        var schedule = Translate(TestSchedules.Create(
            WeekdaySet.Of(IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Sunday), new LocalTime(2, 30), "America/New_York"));

        var view = TemporalScheduleView.From(ScheduleId, schedule);

        Assert.Equal(schedule.Spec.Calendars.Count, view.Spec.Calendars.Count);
        foreach (var (calendar, rendered) in schedule.Spec.Calendars.Zip(view.Spec.Calendars))
        {
            Assert.Equal(Ranges(calendar.Year), rendered.Year);
            Assert.Equal(Ranges(calendar.Month), rendered.Month);
            Assert.Equal(Ranges(calendar.DayOfMonth), rendered.DayOfMonth);
            Assert.Equal(Ranges(calendar.DayOfWeek), rendered.DayOfWeek);
            Assert.Equal(Ranges(calendar.Hour), rendered.Hour);
            Assert.Equal(Ranges(calendar.Minute), rendered.Minute);
            Assert.Equal(Ranges(calendar.Second), rendered.Second);
            Assert.Equal(calendar.Comment, rendered.Comment);
        }
    }

    [Fact]
    public void From_CompiledEntry_RendersRangesWithStartEndStepAndTheComment()
    {
        var view = TemporalScheduleView.From(ScheduleId, Translate(TestSchedules.Weekday0900NewYork()));

        var summers = Assert.Single(view.Spec.Calendars, c => c.Month.SequenceEqual([new ScheduleRangeView(4, 10, 1)]));
        Assert.Equal([new ScheduleRangeView(2026, 2036, 1)], summers.Year);
        Assert.Equal([new ScheduleRangeView(1, 31, 1)], summers.DayOfMonth);
        Assert.Equal([new ScheduleRangeView(1, 5, 1)], summers.DayOfWeek);
        Assert.Equal([new ScheduleRangeView(13, 13, 1)], summers.Hour);
        Assert.Equal([new ScheduleRangeView(0, 0, 1)], summers.Minute);
        Assert.Equal([new ScheduleRangeView(0, 0, 1)], summers.Second);
        Assert.Equal("Mon-Fri 09:00 America/New_York, EDT, UTC-04:00", summers.Comment);
    }

    [Fact]
    public void From_Schedule_RendersIdsZonePolicyAndActions()
    {
        var view = TemporalScheduleView.From(ScheduleId, Translate(TestSchedules.Weekday0900NewYork()));

        Assert.Equal($"recap-schedule-{TestSchedules.Id}", view.ScheduleId);
        Assert.Equal($"recap-{TestSchedules.Id}", view.WorkflowIdPrefix);
        Assert.Equal("UTC", view.Spec.TimeZoneName);
        Assert.Equal("Skip", view.Policy.Overlap);
        Assert.False(view.LimitedActions);
        Assert.Equal(0, view.RemainingActions);
    }

    [Fact]
    public void From_OneTimeSchedule_RendersLimitedActionsAndOneRemaining()
    {
        var schedule = Translate(TestSchedules.Create(
            WeekdaySet.Of(IsoDayOfWeek.Monday), new LocalTime(9, 0), "America/New_York", recurring: false, anchor: Now));

        var view = TemporalScheduleView.From(ScheduleId, schedule);

        Assert.Equal(schedule.State.LimitedActions, view.LimitedActions);
        Assert.Equal(schedule.State.RemainingActions, view.RemainingActions);
        Assert.True(view.LimitedActions);
        Assert.Equal(1, view.RemainingActions);
        Assert.Single(view.Spec.Calendars);
    }

    [Theory]
    [InlineData(60, "PT1M")]
    [InlineData(90, "PT1M30S")]
    [InlineData(0, "PT0S")]
    [InlineData(6 * 3600, "PT6H")]
    [InlineData(26 * 3600, "P1DT2H")]
    public void From_Durations_AreIso8601(int seconds, string expected)
    {
        var options = new SchedulesOptions { Jitter = TimeSpan.FromSeconds(seconds), CatchupWindow = TimeSpan.FromSeconds(seconds) };
        var schedule = TemporalScheduleSpecTranslator.Translate(TestSchedules.Weekday0900NewYork(), TimeZoneData.BuiltIn, options, "recaps", Now);

        var view = TemporalScheduleView.From(ScheduleId, schedule);

        Assert.Equal(expected, view.Spec.Jitter);
        Assert.Equal(expected, view.Policy.CatchupWindow);
    }

    [Fact]
    public void From_DefaultOptions_JitterOneMinuteCatchupSixHours()
    {
        var view = TemporalScheduleView.From(ScheduleId, Translate(TestSchedules.Weekday0900NewYork()));

        Assert.Equal("PT1M", view.Spec.Jitter);
        Assert.Equal("PT6H", view.Policy.CatchupWindow);
    }

    [Fact]
    public void From_NoJitterOrCatchupWindow_RendersNull()
    {
        var schedule = Translate(TestSchedules.Weekday0900NewYork());
        var bare = schedule with { Spec = schedule.Spec with { Jitter = null }, Policy = schedule.Policy with { CatchupWindow = null } };

        var view = TemporalScheduleView.From(ScheduleId, bare);

        Assert.Null(view.Spec.Jitter);
        Assert.Null(view.Policy.CatchupWindow);
    }

    [Fact]
    public void Serialize_WebDefaults_WritesTheDesignShapeInCamelCase()
    {
        var view = TemporalScheduleView.From(ScheduleId, Translate(TestSchedules.Create(
            WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(2, 30), "America/New_York", recurring: false, anchor: Instant.FromUtc(2026, 3, 7, 12, 0))));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(view, Web));
        var root = json.RootElement;

        Assert.Equal(
            ["limitedActions", "policy", "remainingActions", "scheduleId", "spec", "specUntil", "tzdb", "workflowIdPrefix"],
            Names(root));
        Assert.Equal($"recap-schedule-{TestSchedules.Id}", root.GetProperty("scheduleId").GetString());
        Assert.Equal($"recap-{TestSchedules.Id}", root.GetProperty("workflowIdPrefix").GetString());
        Assert.True(root.GetProperty("limitedActions").GetBoolean());
        Assert.Equal(1, root.GetProperty("remainingActions").GetInt64());

        var spec = root.GetProperty("spec");
        Assert.Equal(["calendars", "jitter", "timeZoneName"], Names(spec));
        Assert.Equal("UTC", spec.GetProperty("timeZoneName").GetString());
        Assert.Equal("PT1M", spec.GetProperty("jitter").GetString());

        var calendar = Assert.Single(spec.GetProperty("calendars").EnumerateArray());
        Assert.Equal(["comment", "dayOfMonth", "dayOfWeek", "hour", "minute", "month", "second", "year"], Names(calendar));
        var year = Assert.Single(calendar.GetProperty("year").EnumerateArray());
        Assert.Equal(["end", "start", "step"], Names(year));
        Assert.Equal(2026, year.GetProperty("start").GetInt32());
        Assert.Equal(2026, year.GetProperty("end").GetInt32());
        Assert.Equal(1, year.GetProperty("step").GetInt32());
        Assert.Equal(8, Assert.Single(calendar.GetProperty("dayOfMonth").EnumerateArray()).GetProperty("start").GetInt32());
        Assert.Equal(7, Assert.Single(calendar.GetProperty("hour").EnumerateArray()).GetProperty("start").GetInt32());
        Assert.Equal(30, Assert.Single(calendar.GetProperty("minute").EnumerateArray()).GetProperty("start").GetInt32());
        Assert.Equal(JsonValueKind.String, calendar.GetProperty("comment").ValueKind);

        var policy = root.GetProperty("policy");
        Assert.Equal(["catchupWindow", "overlap"], Names(policy));
        Assert.Equal("Skip", policy.GetProperty("overlap").GetString());
        Assert.Equal("PT6H", policy.GetProperty("catchupWindow").GetString());
    }

    private static Schedule Translate(StoredSchedule schedule) =>
        TemporalScheduleSpecTranslator.Translate(schedule, TimeZoneData.BuiltIn, new SchedulesOptions(), "recaps", Now);

    private static List<ScheduleRangeView> Ranges(IEnumerable<ScheduleRange> ranges) =>
        [.. ranges.Select(r => new ScheduleRangeView(r.Start, r.End, r.Step))];

    private static List<string> Names(JsonElement element) =>
        [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
