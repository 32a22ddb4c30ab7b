using System.Diagnostics;
using System.Globalization;
using Recaps.Benchmarks.Load;

namespace Recaps.Benchmarks.Api;

/// <summary>What a phase did: requests that got the expected answer, those that did not, and their latencies.</summary>
internal sealed record RateResult(string Name, int Requests, int Failures, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Requests / Elapsed.TotalSeconds;

    public double Percentile(double p) => Latencies.Percentile(LatenciesMs, p);

    public string Row(RateResult? baseline) => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {Requests} | {Failures} | {PerSecond:F0} | {Percentile(50):F2} | {Percentile(95):F2} | {Percentile(99):F2} | {(baseline is null ? "" : $"{PerSecond / baseline.PerSecond:P0} of {baseline.Name}")} |");

    public const string Header = """
        | phase | requests | failures | per second | p50 ms | p95 ms | p99 ms | ratio to baseline |
        |---|---:|---:|---:|---:|---:|---:|---|
        """;
}

/// <summary>
/// A closed loop: <c>connections</c> callers each send a request as soon as their last one is
/// answered, for a fixed time. The call gets a sequence number and says whether the answer was the
/// expected one.
/// </summary>
internal static class RequestLoad
{
    public static async Task<RateResult> RunAsync(
        string name, int connections, TimeSpan duration, Func<int, CancellationToken, Task<bool>> call, CancellationToken cancellationToken)
    {
        var sequence = -1;
        var failures = 0;
        var latencies = new List<double>[connections];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async caller =>
        {
            var mine = latencies[caller] = [];
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await call(Interlocked.Increment(ref sequence), cancellationToken);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        clock.Stop();
        var all = latencies.SelectMany(l => l).ToArray();
        return new RateResult(name, all.Length, failures, clock.Elapsed, all);
    }
}
