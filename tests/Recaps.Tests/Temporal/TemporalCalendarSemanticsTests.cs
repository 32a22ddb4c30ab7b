using NodaTime;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.Temporal;

/// <summary>The test-side evaluator must itself follow Temporal's rules, or the agreement test proves nothing.</summary>
public class TemporalCalendarSemanticsTests
{
    [Theory]
    [InlineData(5, 0, 0, 5, true)]   // end < start: just start
    [InlineData(5, 0, 0, 6, false)]
    [InlineData(1, 5, 0, 1, true)]   // inclusive at both ends
    [InlineData(1, 5, 0, 5, true)]
    [InlineData(1, 5, 0, 6, false)]
    [InlineData(0, 10, 5, 5, true)]  // step
    [InlineData(0, 10, 5, 10, true)]
    [InlineData(0, 10, 5, 4, false)]
    [InlineData(1, 10, 3, 7, true)]  // step counts from start
    [InlineData(1, 10, 3, 6, false)]
    public void Matches_Range_FollowsTheApiRangeRules(int start, int end, int step, int value, bool expected)
    {
        Assert.Equal(expected, TemporalCalendarSemantics.Matches([new ScheduleRange(start, end, step)], value));
    }

    [Fact]
    public void Matches_NoRanges_MatchesNothing()
    {
        Assert.False(TemporalCalendarSemantics.Matches([], 0));
    }

    [Fact]
    public void MatchesDate_EmptyYear_MatchesEveryYear()
    {
        var calendar = new ScheduleCalendarSpec { Year = [] };

        Assert.True(TemporalCalendarSemantics.MatchesDate(calendar, new LocalDate(2026, 3, 8)));
        Assert.True(TemporalCalendarSemantics.MatchesDate(calendar, new LocalDate(2099, 12, 31)));
    }

    [Fact]
    public void MatchesDate_EmptyDayOfWeek_MatchesNothing()
    {
        var calendar = new ScheduleCalendarSpec { DayOfWeek = [] };

        Assert.False(TemporalCalendarSemantics.MatchesDate(calendar, new LocalDate(2026, 3, 8)));
    }

    [Fact]
    public void MatchesDate_DayOfWeekZeroOrSeven_IsSunday()
    {
        var sunday = new LocalDate(2026, 3, 8);

        Assert.True(TemporalCalendarSemantics.MatchesDate(new ScheduleCalendarSpec { DayOfWeek = [new(0)] }, sunday));
        Assert.True(TemporalCalendarSemantics.MatchesDate(new ScheduleCalendarSpec { DayOfWeek = [new(7)] }, sunday));
        Assert.False(TemporalCalendarSemantics.MatchesDate(new ScheduleCalendarSpec { DayOfWeek = [new(1, 6)] }, sunday));
        Assert.True(TemporalCalendarSemantics.MatchesDate(new ScheduleCalendarSpec { DayOfWeek = [new(1)] }, sunday.PlusDays(1)));
    }

    [Fact]
    public void Fires_WallTimeInGap_IsSkipped()
    {
        var spec = Daily("America/New_York", 2, 30);

        var fires = TemporalCalendarSemantics.Fires(spec, new LocalDate(2026, 3, 7), new LocalDate(2026, 3, 9));

        // 02:30 EST on the 7th, nothing on the 8th, 02:30 EDT on the 9th.
        Assert.Equal([Instant.FromUtc(2026, 3, 7, 7, 30), Instant.FromUtc(2026, 3, 9, 6, 30)], fires);
    }

    [Fact]
    public void Fires_WallTimeHappeningTwice_FiresTwice()
    {
        var spec = Daily("Australia/Lord_Howe", 1, 45);

        var fires = TemporalCalendarSemantics.Fires(spec, new LocalDate(2026, 4, 5), new LocalDate(2026, 4, 5));

        // 01:45 +11 and, half an hour later, 01:45 +10:30.
        Assert.Equal([Instant.FromUtc(2026, 4, 4, 14, 45), Instant.FromUtc(2026, 4, 4, 15, 15)], fires);
    }

    [Fact]
    public void Fires_TwoCalendarsAtTheSameInstant_FireOnce()
    {
        var spec = new ScheduleSpec
        {
            Calendars = [Calendar(9, 0), Calendar(9, 0) with { Year = [new(2026)], Month = [new(1)], DayOfMonth = [new(5)] }],
            TimeZoneName = "Asia/Kolkata",
        };

        var fires = TemporalCalendarSemantics.Fires(spec, new LocalDate(2026, 1, 5), new LocalDate(2026, 1, 5));

        Assert.Equal([Instant.FromUtc(2026, 1, 5, 3, 30)], fires);
    }

    [Fact]
    public void Fires_NoTimeZoneName_ReadsWallTimesInUtc()
    {
        var spec = new ScheduleSpec { Calendars = [Calendar(9, 15)] };

        Assert.Equal([Instant.FromUtc(2026, 1, 5, 9, 15)], TemporalCalendarSemantics.Fires(spec, new LocalDate(2026, 1, 5), new LocalDate(2026, 1, 5)));
    }

    [Fact]
    public void Fires_SdkDefaultSecond_FiresOnTheMinute()
    {
        var spec = new ScheduleSpec { Calendars = [new ScheduleCalendarSpec { Hour = [new(9)], Minute = [new(0, 1)] }], TimeZoneName = "UTC" };

        Assert.Equal(
            [Instant.FromUtc(2026, 1, 5, 9, 0), Instant.FromUtc(2026, 1, 5, 9, 1)],
            TemporalCalendarSemantics.Fires(spec, new LocalDate(2026, 1, 5), new LocalDate(2026, 1, 5)));
    }

    [Fact]
    public void Fires_SpecWithIntervals_IsNotSupported()
    {
        var spec = new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(1))] };

        Assert.Throws<NotSupportedException>(() => TemporalCalendarSemantics.Fires(spec, new LocalDate(2026, 1, 5), new LocalDate(2026, 1, 5)));
    }

    private static ScheduleSpec Daily(string zoneId, int hour, int minute) =>
        new() { Calendars = [Calendar(hour, minute)], TimeZoneName = zoneId };

    private static ScheduleCalendarSpec Calendar(int hour, int minute) =>
        new() { Hour = [new(hour)], Minute = [new(minute)] };
}
