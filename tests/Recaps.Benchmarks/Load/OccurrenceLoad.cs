using System.Diagnostics;
using System.Runtime;
using Recaps.Workflows.RecapRuns;

namespace Recaps.Benchmarks.Load;

/// <summary>What a batch of rounds did, and how fast.</summary>
internal sealed record LoadResult(
    int Occurrences, int Skipped, int MinMessages, int MaxMessages, TimeSpan Elapsed, TimeSpan ProcessCpu, long JitMethods, TimeSpan JitTime, double[] LatenciesMs)
{
    public double PerSecond => Occurrences / Elapsed.TotalSeconds;

    public double Percentile(double p) => Latencies.Percentile(LatenciesMs, p);
}

/// <summary>
/// Runs rounds of occurrences with at most <c>concurrency</c> in flight, as a worker with that many
/// activity slots would; a round ends when its last occurrence does.
/// </summary>
internal static class OccurrenceLoad
{
    public static async Task<LoadResult> RunAsync(
        ActivityPipeline pipeline, IEnumerable<IReadOnlyList<ResolveChannelsInput>> rounds, int concurrency, CancellationToken cancellationToken)
    {
        var all = rounds.ToList();
        var latencies = new double[all.Sum(r => r.Count)];
        var messages = new int?[latencies.Length];
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var (jitMethodsBefore, jitTimeBefore) = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
        var clock = Stopwatch.StartNew();
        var offset = 0;
        foreach (var round in all)
        {
            var first = offset;
            await Parallel.ForEachAsync(
                Enumerable.Range(0, round.Count),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                async (i, _) =>
                {
                    var started = Stopwatch.GetTimestamp();
                    messages[first + i] = await pipeline.RunAsync(round[i]);
                    latencies[first + i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                });
            offset += round.Count;
        }

        clock.Stop();
        process.Refresh();
        var counts = messages.Where(m => m is not null).Select(m => m!.Value).DefaultIfEmpty(0).ToArray();
        return new LoadResult(
            latencies.Length, messages.Count(m => m is null), counts.Min(), counts.Max(), clock.Elapsed,
            process.TotalProcessorTime - cpuBefore, JitInfo.GetCompiledMethodCount() - jitMethodsBefore, JitInfo.GetCompilationTime() - jitTimeBefore,
            latencies);
    }
}
