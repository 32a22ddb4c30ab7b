using BenchmarkDotNet.Attributes;
using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Benchmarks.Domain;

/// <summary>
/// One <see cref="RecurrenceEngine.Next(Recurrence, Instant)"/> call: what previews, the spec
/// translator and duplicate detection pay per occurrence. Target: mean ≤ 2 µs.
/// </summary>
[MemoryDiagnoser]
public class RecurrenceNextBenchmarks
{
    private static readonly Instant Anchor = Instant.FromUtc(2026, 1, 1, 0, 0);

    // The common case: a weekday standup digest, asked for on a Friday evening so the search
    // walks over the weekend.
    private readonly Recurrence _weekdaysNewYork = new(
        WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday),
        new LocalTime(9, 0), DateTimeZoneProviders.Tzdb["America/New_York"], Recurring: true, Anchor);

    private readonly Instant _fridayEvening = Instant.FromUtc(2026, 6, 12, 23, 0);

    // The DST-heavy case: 02:30 every day falls into the spring-forward gap on 2026-03-08, so
    // the engine resolves a skipped local time.
    private readonly Recurrence _dailyInGapNewYork = new(
        WeekdaySet.Of(WeekdaySet.Week), new LocalTime(2, 30), DateTimeZoneProviders.Tzdb["America/New_York"], Recurring: true, Anchor);

    private readonly Instant _eveOfSpringForward = Instant.FromUtc(2026, 3, 7, 12, 0);

    // Lord Howe moves by half an hour; 01:45 on its fall-back day happens twice.
    private readonly Recurrence _dailyAmbiguousLordHowe = new(
        WeekdaySet.Of(WeekdaySet.Week), new LocalTime(1, 45), DateTimeZoneProviders.Tzdb["Australia/Lord_Howe"], Recurring: true, Anchor);

    private readonly Instant _eveOfLordHoweFallBack = Instant.FromUtc(2026, 4, 4, 6, 0);

    [Benchmark(Baseline = true)]
    public Occurrence? WeekdaysAt0900NewYork() => RecurrenceEngine.Next(_weekdaysNewYork, _fridayEvening);

    [Benchmark]
    public Occurrence? DailyAt0230NewYork_SpringForwardGap() => RecurrenceEngine.Next(_dailyInGapNewYork, _eveOfSpringForward);

    [Benchmark]
    public Occurrence? DailyAt0145LordHowe_FallBackOverlap() => RecurrenceEngine.Next(_dailyAmbiguousLordHowe, _eveOfLordHoweFallBack);
}
