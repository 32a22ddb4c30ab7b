using BenchmarkDotNet.Attributes;
using NodaTime;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Temporal;
using Temporalio.Client.Schedules;

namespace Recaps.Benchmarks.Domain;

/// <summary>
/// Compiling one schedule's ten years of occurrences into Temporal entries: what every create, edit
/// and yearly roll-over of a schedule costs the sync, and every schedule response the API.
/// </summary>
[MemoryDiagnoser]
public class SpecCompileBenchmarks
{
    private static readonly Interval Window = OccurrenceSpecCompiler.Window(SpecSchedules.CompiledAt, new SchedulesOptions().SpecHorizonYears);

    private readonly StoredSchedule _weekdaysNewYork = SpecSchedules.Stored(SpecSchedules.Weekdays, new LocalTime(9, 0), "America/New_York");

    // The most entries over every zone, time and day set (the spec-size report's worst case): 72.
    private readonly StoredSchedule _mostEntries = SpecSchedules.Stored(WeekdaySet.Of(IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday), new LocalTime(2, 0), "Australia/Broken_Hill");

    // The most occurrences to walk (every day) with the most entries of a daily schedule (66): the mid-gap of EU rules.
    private readonly StoredSchedule _dailyMostEntries = SpecSchedules.Stored(WeekdaySet.Of(WeekdaySet.Week), new LocalTime(3, 15), "Europe/Helsinki");

    private readonly SchedulesOptions _options = new();

    [Benchmark(Baseline = true)]
    public IReadOnlyList<ScheduleCalendarSpec> CompileWeekdaysAt0900NewYork() => OccurrenceSpecCompiler.Compile(_weekdaysNewYork.RecurrenceIn(TimeZoneData.BuiltIn), Window);

    [Benchmark]
    public IReadOnlyList<ScheduleCalendarSpec> CompileMostEntries() => OccurrenceSpecCompiler.Compile(_mostEntries.RecurrenceIn(TimeZoneData.BuiltIn), Window);

    [Benchmark]
    public IReadOnlyList<ScheduleCalendarSpec> CompileDailyMostEntries() => OccurrenceSpecCompiler.Compile(_dailyMostEntries.RecurrenceIn(TimeZoneData.BuiltIn), Window);

    [Benchmark]
    public Schedule TranslateWeekdaysAt0900NewYork() =>
        TemporalScheduleSpecTranslator.Translate(_weekdaysNewYork, TimeZoneData.BuiltIn, _options, "recaps", SpecSchedules.CompiledAt);
}
