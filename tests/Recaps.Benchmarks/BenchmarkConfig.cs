using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Recaps.Benchmarks;

/// <summary>
/// One launch, a few warm-up and ten measured iterations of about half a second each: enough
/// samples for a mean with a tight error on these microsecond-to-millisecond operations, and the
/// whole suite finishes in a few minutes.
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() => ManualConfig.Create(DefaultConfig.Instance)
        .AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(4)
            .WithIterationCount(10)
            .WithId("Recaps"));
}
