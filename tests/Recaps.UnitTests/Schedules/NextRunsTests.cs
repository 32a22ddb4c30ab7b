using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Api.Schedules;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Schedules;

public class NextRunsTests
{
    // Sunday 1 March 2026, 07:00 in New York.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 1, 12, 0);

    private static readonly WeekdaySet Weekdays =
        WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday);

    [Fact]
    public void NextRuns_SkipDate_ListedSkippedWithTheReason()
    {
        var runs = Derived().NextRuns(At(Weekdays, 9, 0, "America/New_York"), new([new LocalDate(2026, 3, 3)]), Now);

        Assert.Equal(5, runs.Count);
        Assert.Equal([false, true, false, false, false], runs.Select(r => r.Skipped));
        Assert.Equal(new DateTime(2026, 3, 3, 14, 0, 0, DateTimeKind.Utc), runs[1].At);
        Assert.Equal("skip date: 2026-03-03 is in the schedule's skipDates", runs[1].SkipReason);
        Assert.All(runs.Where(r => !r.Skipped), r => Assert.Null(r.SkipReason));
    }

    [Fact]
    public void NextRuns_SharedTimetable_EachScheduleMarksOnlyItsOwnDates()
    {
        var derived = Derived();
        var timetable = At(Weekdays, 9, 0, "America/New_York");

        var skipping = derived.NextRuns(timetable, new([new LocalDate(2026, 3, 2)]), Now);
        var other = derived.NextRuns(timetable, default, Now);

        Assert.True(skipping[0].Skipped);
        Assert.DoesNotContain(other, r => r.Skipped);
        Assert.Equal(skipping.Select(r => r.At), other.Select(r => r.At));
    }

    [Fact]
    public void Next_SkipDateOnASpringForwardDay_MarksTheShiftedRun()
    {
        // 02:30 does not exist in New York on 14 March 2027: that date's run is at 03:30 EDT.
        var daily = At(WeekdaySet.Of(WeekdaySet.Week), 2, 30, "America/New_York");

        var runs = DerivedSchedules.Next(daily, new([new LocalDate(2027, 3, 14)]), Instant.FromUtc(2027, 3, 13, 12, 0), 2);

        Assert.Equal(new DateTime(2027, 3, 14, 7, 30, 0, DateTimeKind.Utc), runs[0].At);
        Assert.NotNull(runs[0].Note);
        Assert.Equal([true, false], runs.Select(r => r.Skipped));
    }

    [Fact]
    public void Next_SkipDateOnAFallBackDay_MarksTheOneRunOfThatDate()
    {
        // 01:30 happens twice in New York on 7 November 2027; the date has one run, at the first.
        var daily = At(WeekdaySet.Of(WeekdaySet.Week), 1, 30, "America/New_York");

        var runs = DerivedSchedules.Next(daily, new([new LocalDate(2027, 11, 7)]), Instant.FromUtc(2027, 11, 6, 12, 0), 3);

        Assert.Equal(new DateTime(2027, 11, 7, 5, 30, 0, DateTimeKind.Utc), runs[0].At);
        Assert.Equal([true, false, false], runs.Select(r => r.Skipped));
    }

    [Fact]
    public void Next_SkipDate_IsTheLocalDateNotTheUtcOne()
    {
        // 20:00 in Los Angeles is 04:00 UTC the next day: the run of 2 March is on 3 March in UTC.
        var evenings = At(WeekdaySet.Of(WeekdaySet.Week), 20, 0, "America/Los_Angeles");

        var runs = DerivedSchedules.Next(evenings, new([new LocalDate(2026, 3, 2)]), Now, 3);

        Assert.Equal([false, true, false], runs.Select(r => r.Skipped));
        Assert.Equal(new DateTime(2026, 3, 3, 4, 0, 0, DateTimeKind.Utc), runs[1].At);
    }

    private static Recurrence At(WeekdaySet days, int hour, int minute, string zone) =>
        new(days, new LocalTime(hour, minute), TimeZoneData.BuiltIn.Zones[zone], Recurring: true, Now);

    private static DerivedSchedules Derived() => new(
        TimeZoneData.BuiltIn, Options.Create(new RecapsOptions()), Options.Create(new TemporalOptions()), new MemoryCache(new MemoryCacheOptions()));
}
