using System.Globalization;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// <c>pipeline</c>: occurrences per second through the three activities of a recap run against a
/// local PostgreSQL that syncs every commit to disk. Target: ≥ 300 occurrences/s on 2 cores.
/// </summary>
internal static class PipelineLoad
{
    public const string Mode = "pipeline";

    // Five warm-up rounds: on two busy cores the JIT needs that long to finish tiering up the hot
    // paths (the report shows what it still compiled while measuring). 32 occurrences in flight, as
    // a worker's activity slots allow, share a pool of 8 connections: more backends than that on two
    // cores only add contention inside PostgreSQL (its CPU per occurrence grows with them).
    public static readonly LoadOptions Defaults = new(Schedules: 1_000, WarmupRounds: 5, Rounds: 3, Concurrency: 32, PoolSize: 8, HistoryDays: 14);

    public static Task<int> RunAsync(LoadOptions options) => Interruption.RunAsync(async cancellationToken =>
    {
        await using var worker = await SeededWorker.StartAsync(options, new Dictionary<string, string?>(), cancellationToken);
        await worker.WarmUpAsync(worker.Plan.Rounds.Take(options.WarmupRounds), options.Concurrency, cancellationToken);
        var measured = await worker.MeasureAsync(worker.Plan.Rounds.Skip(options.WarmupRounds), options.Concurrency, cancellationToken);
        Report(options, measured);
        Console.WriteLine($"load average after: {MachineReport.LoadAverage()} (other processes on the machine count too)");
        return Verify(measured.Load) ? 0 : 1;
    });

    private static void Report(LoadOptions options, Measurement measurement)
    {
        var (measured, postgresCpu, machineBusy) = measurement;
        var perOccurrence = (double)measured.Occurrences;
        var cpuPerOccurrence = (measured.ProcessCpu + postgresCpu).TotalMilliseconds / perOccurrence;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

            | occurrences | concurrency | pool | elapsed s | occurrences/s | p50 ms | p95 ms | p99 ms | messages/recap | worker CPU ms/occ | postgres CPU ms/occ | machine CPU busy |
            |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
            | {measured.Occurrences} | {options.Concurrency} | {options.PoolSize} | {measured.Elapsed.TotalSeconds:F2} | {measured.PerSecond:F0} | {measured.Percentile(50):F1} | {measured.Percentile(95):F1} | {measured.Percentile(99):F1} | {measured.MinMessages}–{measured.MaxMessages} | {measured.ProcessCpu.TotalMilliseconds / perOccurrence:F2} | {postgresCpu.TotalMilliseconds / perOccurrence:F2} | {machineBusy:F0} % |

            JIT while measuring: {measured.JitMethods} methods, {measured.JitTime.TotalSeconds:F2} s
            CPU per occurrence (worker + postgres): {cpuPerOccurrence:F2} ms, so two otherwise idle cores could do about {2_000 / cpuPerOccurrence:F0} occurrences/s
            target ≥ 300 occurrences/s: {LoadRun.Verdict(measured.PerSecond >= 300)}
            """));
    }

    /// <summary>Whether the rounds ran as designed (no occurrence skipped, every recap over its full windows); says what was not.</summary>
    public static bool Verify(LoadResult measured)
    {
        if (measured.Skipped == 0 && measured.MinMessages == LoadOptions.ExpectedMessagesPerRecap && measured.MaxMessages == LoadOptions.ExpectedMessagesPerRecap)
        {
            return true;
        }

        Console.Error.WriteLine(
            $"The workload was not as designed: {measured.Skipped} skipped, {measured.MinMessages}–{measured.MaxMessages} messages per recap (expected {LoadOptions.ExpectedMessagesPerRecap}).");
        return false;
    }
}
