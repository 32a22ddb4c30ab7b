using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Recaps.Workflows.Telemetry;

namespace Recaps.Tests.Telemetry;

public class TemporalSdkMeterTests
{
    [Fact]
    public void SdkMetrics_RecordedThroughTheAdapter_ReachTheTemporalMeterWithMergedTags()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new RecordedMetrics(factory);
        var meter = new TemporalSdkMeter(factory);
        var tags = meter.CreateTags(meter.CreateTags(null, [new("namespace", "default"), new("task_queue", "old")]), [new("task_queue", "recaps")]);

        meter.CreateCounter<long>("temporal_request", null, null).Add(2, tags);
        meter.CreateHistogram<double>("temporal_activity_execution_latency", "s", null).Record(0.25, tags);
        meter.CreateGauge<long>("temporal_num_pollers", null, null).Set(5, tags);

        Assert.Equal([2.0], metrics.Of("temporal_request"));
        Assert.Equal([0.25], metrics.Of("temporal_activity_execution_latency"));
        Assert.Equal([5.0], metrics.Of("temporal_num_pollers"));
        Assert.Equal(
            [new("namespace", "default"), new("task_queue", "recaps")],
            ((KeyValuePair<string, object?>[])tags).OrderBy(t => t.Key, StringComparer.Ordinal));
    }
}
