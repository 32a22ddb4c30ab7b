using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Domain;

public class SkipNextTests
{
    // Sunday 1 March 2026, 07:00 in New York.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 1, 12, 0);

    private static readonly ScheduleIntent Weekdays = new(
        "Standup digest",
        WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday),
        new LocalTime(9, 0),
        "America/New_York",
        ChannelMode.Specific,
        ["dev"],
        Recurring: true,
        "extractive",
        null);

    [Fact]
    public void Decide_ActiveSchedule_SkipsTheDateOfTheNextOccurrence() =>
        Assert.Equal([new LocalDate(2026, 3, 2)], Decide(Weekdays, Now).Dates.Dates);

    [Fact]
    public void Decide_NextOccurrenceLaterToday_SkipsToday()
    {
        // Monday 07:00 in New York, before the 09:00 run.
        var decision = Decide(Weekdays, Instant.FromUtc(2026, 3, 2, 12, 0));

        Assert.Equal([new LocalDate(2026, 3, 2)], decision.Dates.Dates);
    }

    [Fact]
    public void Decide_Twice_SkipsTheRunAfterToo()
    {
        var first = Decide(Weekdays, Now);
        var second = Decide(Weekdays with { SkipDates = first.Dates }, Now);

        Assert.Null(second.Refusal);
        Assert.Equal([new LocalDate(2026, 3, 2), new LocalDate(2026, 3, 3)], second.Dates.Dates);
    }

    [Fact]
    public void Decide_NextDatesAlreadySkipped_SkipsTheFirstThatWouldRun()
    {
        var listed = new SkipDateSet([new LocalDate(2026, 3, 2), new LocalDate(2026, 3, 3), new LocalDate(2026, 3, 5)]);

        var decision = Decide(Weekdays with { SkipDates = listed }, Now);

        Assert.Equal([new LocalDate(2026, 3, 2), new LocalDate(2026, 3, 3), new LocalDate(2026, 3, 4), new LocalDate(2026, 3, 5)], decision.Dates.Dates);
    }

    [Theory]
    [InlineData(ScheduleStatus.Paused, false, true, "paused")]
    [InlineData(ScheduleStatus.Active, true, true, "operator")]
    [InlineData(ScheduleStatus.Completed, false, false, "has run")]
    [InlineData(ScheduleStatus.Active, false, false, "one-time")]
    public void Decide_NoNextRunToSkip_RefusesNamingTheState(ScheduleStatus status, bool operatorPaused, bool recurring, string named)
    {
        var intent = Weekdays with { Recurring = recurring };

        var decision = SkipNext.Decide(intent, status, operatorPaused, intent.RecurrenceFrom(Now, TimeZoneData.BuiltIn), Now);

        Assert.Contains(named, decision.Refusal, StringComparison.Ordinal);
        Assert.Empty(decision.Dates.Dates);
    }

    [Fact]
    public void Decide_FiftyDatesToCome_RefusesAsFull()
    {
        var full = new SkipDateSet(Enumerable.Range(0, SkipDateSet.MaxCount).Select(i => new LocalDate(2026, 4, 1).PlusDays(i)));

        var decision = Decide(Weekdays with { SkipDates = full }, Now);

        Assert.Contains("50", decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FiftyDatesSomePassed_DropsThePassedAndSkips()
    {
        // 1 February … 22 March: every run up to 22 March is skipped already, and the dates before yesterday have passed.
        var dates = Enumerable.Range(0, SkipDateSet.MaxCount).Select(i => new LocalDate(2026, 2, 1).PlusDays(i));

        var decision = Decide(Weekdays with { SkipDates = new(dates) }, Now);

        Assert.Null(decision.Refusal);
        var kept = Enumerable.Range(0, 23).Select(i => new LocalDate(2026, 2, 28).PlusDays(i));
        Assert.Equal([.. kept, new LocalDate(2026, 3, 23)], decision.Dates.Dates);
    }

    private static SkipNextDecision Decide(ScheduleIntent intent, Instant now) =>
        SkipNext.Decide(intent, ScheduleStatus.Active, operatorPaused: false, intent.RecurrenceFrom(now, TimeZoneData.BuiltIn), now);
}
