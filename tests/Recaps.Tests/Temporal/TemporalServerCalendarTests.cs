using NodaTime;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.Temporal;

/// <summary>
/// The port must behave as the server does, or the agreement test proves nothing. Each expectation is worked out
/// by hand from <c>calendar.go</c> and Go's <c>time.Date</c>; the comments give the steps.
/// </summary>
public class TemporalServerCalendarTests
{
    [Fact]
    public void Fires_DoubledWallTimeWestOfUtc_FiresAtBothInstants()
    {
        // time.Date(01:30) reads -04:00 at 01:30Z; 05:30Z is still EDT, so the earlier instant. Rolling over
        // from 01:00 (05:00Z) to 02:00 (07:00Z EST) spans two hours: 01:30 again with +1h, 06:30Z.
        var fires = Evaluate(Daily("America/New_York", 1, 30), Instant.FromUtc(2026, 11, 1, 4, 0), Instant.FromUtc(2026, 11, 2, 5, 0));

        Assert.Equal([Instant.FromUtc(2026, 11, 1, 5, 30), Instant.FromUtc(2026, 11, 1, 6, 30)], fires);
    }

    [Fact]
    public void Fires_DoubledWallTimeEastOfUtc_FiresOnceAtTheLaterInstant()
    {
        // 02:30Z on 5 April is already AEST (+10): time.Date gives 16:30Z, the later copy. The roll-over that
        // would find the other copy happens from hour 1, which the calendar does not match.
        var fires = Evaluate(Daily("Australia/Sydney", 2, 30), Instant.FromUtc(2026, 4, 4, 13, 0), Instant.FromUtc(2026, 4, 5, 14, 0));

        Assert.Equal([Instant.FromUtc(2026, 4, 4, 16, 30)], fires);
    }

    [Fact]
    public void Fires_DoubledWallTimeWhereTheLaterOffsetIsZero_FiresOnceAtTheLaterInstant()
    {
        // 01:30Z is already GMT, offset 0, so time.Date keeps it: 01:30 GMT, not 01:30 BST (00:30Z).
        var fires = Evaluate(Daily("Europe/London", 1, 30), Instant.FromUtc(2026, 10, 24, 23, 0), Instant.FromUtc(2026, 10, 26, 0, 0));

        Assert.Equal([Instant.FromUtc(2026, 10, 25, 1, 30)], fires);
    }

    [Fact]
    public void Fires_HalfHourOverlap_FiresOnceAtTheLaterInstant()
    {
        // Lord Howe falls back 02:00 +11 → 01:30 +10:30. 01:45 resolves to +10:30 (15:15Z); the roll-over from
        // hour 1 into hour 2 spans 90 minutes, but only after 01:45 has fired, with the offset already set.
        var fires = Evaluate(Daily("Australia/Lord_Howe", 1, 45), Instant.FromUtc(2026, 4, 4, 13, 0), Instant.FromUtc(2026, 4, 5, 13, 30));

        Assert.Equal([Instant.FromUtc(2026, 4, 4, 15, 15)], fires);
    }

    [Fact]
    public void Fires_RollingOverIntoATwoHourLongHour_FiresTheHourBeforeAgainOneHourLater()
    {
        // London 00:30 on the fall-back day: 23:30Z, then the roll-over from 00:00 (23:00Z) to 01:00 (01:00Z GMT)
        // spans two hours, so 00:30 is tried again with +1h: 00:30Z, whose wall time is 01:30 BST.
        var fires = Evaluate(Daily("Europe/London", 0, 30), Instant.FromUtc(2026, 10, 24, 23, 0), Instant.FromUtc(2026, 10, 25, 23, 59));

        Assert.Equal([Instant.FromUtc(2026, 10, 24, 23, 30), Instant.FromUtc(2026, 10, 25, 0, 30)], fires);
    }

    [Fact]
    public void Fires_PinnedHourBeforeWithItsSkip_ReachesTheEarlierCopy()
    {
        // The translator's fall-back entry: 00:30 pinned to the date and skipped, so only its roll-over fire
        // (00:30Z = 01:30 BST, the earlier 01:30) is left. The weekly 01:30 then looks for a wall time after
        // 01:30 and so passes 01:30 GMT by: the day has one fire.
        var spec = Daily("Europe/London", 1, 30) with
        {
            Calendars = [Calendar(1, 30), Calendar(0, 30) with { Year = [new(2026)], Month = [new(10)], DayOfMonth = [new(25)] }],
            Skip = [Calendar(0, 30) with { Year = [new(2026)], Month = [new(10)], DayOfMonth = [new(25)] }],
        };

        var fires = Evaluate(spec, Instant.FromUtc(2026, 10, 24, 23, 0), Instant.FromUtc(2026, 10, 26, 0, 0));

        Assert.Equal([Instant.FromUtc(2026, 10, 25, 0, 30)], fires);
    }

    [Fact]
    public void Fires_WallTimeInAnHourLongGap_IsSkipped()
    {
        // time.Date(02:30) on 8 March gives 06:30Z, 01:30 EST: another hour, so no fire that day.
        var fires = Evaluate(Daily("America/New_York", 2, 30), Instant.FromUtc(2026, 3, 7, 5, 0), Instant.FromUtc(2026, 3, 10, 4, 0));

        Assert.Equal([Instant.FromUtc(2026, 3, 7, 7, 30), Instant.FromUtc(2026, 3, 9, 6, 30)], fires);
    }

    [Fact]
    public void Fires_WallTimeInAnHourLongGapEastOfUtc_IsSkipped()
    {
        // time.Date(02:30) on 4 October gives 16:30Z, 03:30 AEDT: another hour, so no fire that day.
        var fires = Evaluate(Daily("Australia/Sydney", 2, 30), Instant.FromUtc(2026, 10, 2, 14, 0), Instant.FromUtc(2026, 10, 5, 13, 0));

        Assert.Equal([Instant.FromUtc(2026, 10, 2, 16, 30), Instant.FromUtc(2026, 10, 4, 15, 30)], fires);
    }

    [Fact]
    public void Fires_WallTimeInAHalfHourGap_FiresAtTheSameHourAfterTheGap()
    {
        // Lord Howe springs 02:00 +10:30 → 02:30 +11. time.Date(02:15) gives 15:45Z, 02:45 +11: still hour 2.
        var fires = Evaluate(Daily("Australia/Lord_Howe", 2, 15), Instant.FromUtc(2026, 10, 3, 13, 0), Instant.FromUtc(2026, 10, 4, 13, 0));

        Assert.Equal([Instant.FromUtc(2026, 10, 3, 15, 45)], fires);
    }

    [Fact]
    public void Fires_DayWhoseMidnightIsMissing_TakesItsWeekdayFromTheDayBefore()
    {
        // Santiago springs 00:00 -04 → 01:00 -03 on Sunday 6 September. The day loop checks the weekday of
        // time.Date(00:00), which is 03:00Z, Saturday 23:00 -04: a Sunday-only calendar passes that Sunday by.
        var spec = new ScheduleSpec { Calendars = [Calendar(9, 0) with { DayOfWeek = [new(0)] }], TimeZoneName = "America/Santiago" };

        var fires = Evaluate(spec, Instant.FromUtc(2026, 8, 29, 0, 0), Instant.FromUtc(2026, 9, 14, 0, 0));

        Assert.Equal([Instant.FromUtc(2026, 8, 30, 13, 0), Instant.FromUtc(2026, 9, 13, 12, 0)], fires);
    }

    [Fact]
    public void Fires_SkipCalendar_SuppressesTheFireItMatches()
    {
        var spec = Daily("Asia/Kolkata", 9, 0) with { Skip = [Calendar(9, 0) with { Year = [new(2026)], Month = [new(1)], DayOfMonth = [new(6)] }] };

        var fires = Evaluate(spec, Instant.FromUtc(2026, 1, 5, 0, 0), Instant.FromUtc(2026, 1, 8, 0, 0));

        Assert.Equal([Instant.FromUtc(2026, 1, 5, 3, 30), Instant.FromUtc(2026, 1, 7, 3, 30)], fires);
    }

    [Fact]
    public void Fires_TwoCalendars_FireAtTheEarliestOfEachInTurn()
    {
        var spec = new ScheduleSpec { Calendars = [Calendar(9, 15), Calendar(9, 0)], TimeZoneName = "Asia/Kolkata" };

        var fires = Evaluate(spec, Instant.FromUtc(2026, 1, 5, 0, 0), Instant.FromUtc(2026, 1, 6, 0, 0));

        Assert.Equal([Instant.FromUtc(2026, 1, 5, 3, 30), Instant.FromUtc(2026, 1, 5, 3, 45)], fires);
    }

    [Fact]
    public void Fires_TwoCalendarsAtTheSameInstant_FireOnce()
    {
        var spec = new ScheduleSpec
        {
            Calendars = [Calendar(9, 0), Calendar(9, 0) with { Year = [new(2026)], Month = [new(1)], DayOfMonth = [new(5)] }],
            TimeZoneName = "Asia/Kolkata",
        };

        var fires = Evaluate(spec, Instant.FromUtc(2026, 1, 5, 0, 0), Instant.FromUtc(2026, 1, 6, 0, 0));

        Assert.Equal([Instant.FromUtc(2026, 1, 5, 3, 30)], fires);
    }

    [Fact]
    public void Fires_NoTimeZoneName_ReadsWallTimesInUtc()
    {
        var fires = Evaluate(new ScheduleSpec { Calendars = [Calendar(9, 15)] }, Instant.FromUtc(2026, 1, 5, 0, 0), Instant.FromUtc(2026, 1, 6, 0, 0));

        Assert.Equal([Instant.FromUtc(2026, 1, 5, 9, 15)], fires);
    }

    [Fact]
    public void Fires_SdkDefaultSecond_FiresOnTheMinute()
    {
        var spec = new ScheduleSpec { Calendars = [new ScheduleCalendarSpec { Hour = [new(9)], Minute = [new(0, 1)] }], TimeZoneName = "UTC" };

        var fires = Evaluate(spec, Instant.FromUtc(2026, 1, 5, 0, 0), Instant.FromUtc(2026, 1, 6, 0, 0));

        Assert.Equal([Instant.FromUtc(2026, 1, 5, 9, 0), Instant.FromUtc(2026, 1, 5, 9, 1)], fires);
    }

    [Theory]
    [InlineData(5, 0, 0, 5, true)]   // end < start: just start
    [InlineData(5, 0, 0, 6, false)]
    [InlineData(1, 5, 0, 5, true)]   // inclusive at both ends
    [InlineData(1, 5, 0, 6, false)]
    [InlineData(0, 10, 5, 10, true)] // step counts from start
    [InlineData(1, 10, 3, 7, true)]
    [InlineData(1, 10, 3, 6, false)]
    public void Fires_MinuteRange_FollowsIterateRanges(int start, int end, int step, int minute, bool fires)
    {
        var spec = new ScheduleSpec { Calendars = [new ScheduleCalendarSpec { Hour = [new(9)], Minute = [new(start, end, step)] }] };
        var at = Instant.FromUtc(2026, 1, 5, 9, minute);

        Assert.Equal(fires, Evaluate(spec, at - Duration.FromSeconds(1), at).Contains(at));
    }

    [Fact]
    public void Fires_EmptyYear_MatchesEveryYearAndAnEmptyDayOfWeekNothing()
    {
        var everyYear = new ScheduleSpec { Calendars = [Calendar(9, 0) with { Year = [], Month = [new(1)], DayOfMonth = [new(5)] }] };
        var noDay = new ScheduleSpec { Calendars = [Calendar(9, 0) with { DayOfWeek = [] }] };

        Assert.Equal(
            [Instant.FromUtc(2026, 1, 5, 9, 0), Instant.FromUtc(2027, 1, 5, 9, 0), Instant.FromUtc(2028, 1, 5, 9, 0)],
            Evaluate(everyYear, Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2028, 12, 31, 0, 0)));
        Assert.Null(new TemporalServerCalendar(noDay, maxYear: 2027).NextTime(Instant.FromUtc(2026, 1, 1, 0, 0)));
    }

    [Fact]
    public void Constructor_DayOfWeekSeven_IsRejectedLikeTheServerDoes()
    {
        var spec = new ScheduleSpec { Calendars = [Calendar(9, 0) with { DayOfWeek = [new(7)] }] };

        Assert.Throws<ArgumentException>(() => new TemporalServerCalendar(spec));
    }

    [Fact]
    public void Constructor_SpecWithIntervals_IsNotSupported()
    {
        var spec = new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(1))] };

        Assert.Throws<NotSupportedException>(() => new TemporalServerCalendar(spec));
    }

    private static IReadOnlyList<Instant> Evaluate(ScheduleSpec spec, Instant after, Instant until) =>
        new TemporalServerCalendar(spec, until.InUtc().Year + 1).Fires(after, until);

    private static ScheduleSpec Daily(string zoneId, int hour, int minute) =>
        new() { Calendars = [Calendar(hour, minute)], TimeZoneName = zoneId };

    private static ScheduleCalendarSpec Calendar(int hour, int minute) =>
        new() { Hour = [new(hour)], Minute = [new(minute)] };
}
