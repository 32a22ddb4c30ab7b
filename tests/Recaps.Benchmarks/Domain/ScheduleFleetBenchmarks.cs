using BenchmarkDotNet.Attributes;
using NodaTime;
using Recaps.Benchmarks.Workspace;
using Recaps.Workflows.Domain;

namespace Recaps.Benchmarks.Domain;

/// <summary>
/// The next five occurrences of 10,000 schedules with mixed zones, times and days (the
/// <c>nextRuns</c> of every schedule in a large listing, or a reconciler pass). Target: ≤ 100 ms per op.
/// </summary>
[MemoryDiagnoser]
public class ScheduleFleetBenchmarks
{
    public const int Schedules = 10_000;
    public const int OccurrencesEach = 5;

    private Recurrence[] _fleet = [];
    private Instant _from;

    [GlobalSetup]
    public void BuildFleet()
    {
        var mix = new ScheduleMix(seed: 20_260_601);
        var anchor = Instant.FromUtc(2026, 1, 1, 0, 0);
        _fleet = [.. Enumerable.Range(0, Schedules).Select(_ => mix.NextRecurrence(anchor))];
        // Late March: the northern hemisphere has just sprung forward and Europe is about to,
        // so DST-shifted occurrences are part of the work.
        _from = Instant.FromUtc(2026, 3, 26, 12, 0);
    }

    [Benchmark]
    public int NextFiveOfTenThousand()
    {
        var found = 0;
        foreach (var recurrence in _fleet)
        {
            found += RecurrenceEngine.Next(recurrence, _from, OccurrencesEach).Count;
        }

        return found;
    }
}
