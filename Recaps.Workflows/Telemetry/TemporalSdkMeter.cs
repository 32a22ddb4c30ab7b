using System.Diagnostics.Metrics;
using Temporalio.Runtime;

namespace Recaps.Workflows.Telemetry;

/// <summary>
/// Hands the Temporal SDK's own metrics (polls, task latencies, slots) to a System.Diagnostics.Metrics
/// meter, so they are scraped at the same <c>/metrics</c> as everything else instead of from a
/// second port of the SDK's Prometheus server. Temporalio.Extensions.DiagnosticSource would do
/// this, but it is not available to this build.
/// </summary>
public sealed class TemporalSdkMeter(IMeterFactory meterFactory) : ICustomMetricMeter
{
    public const string MeterName = "Temporal";

    private readonly Meter _meter = meterFactory.Create(MeterName);

    public ICustomMetricCounter<T> CreateCounter<T>(string name, string? unit, string? description)
        where T : struct => new Counter<T>(_meter.CreateCounter<T>(name, unit, description));

    public ICustomMetricHistogram<T> CreateHistogram<T>(string name, string? unit, string? description)
        where T : struct => new Histogram<T>(_meter.CreateHistogram<T>(name, unit, description));

    public ICustomMetricGauge<T> CreateGauge<T>(string name, string? unit, string? description)
        where T : struct => new Gauge<T>(_meter.CreateGauge<T>(name, unit, description));

    public object CreateTags(object? appendFrom, IReadOnlyCollection<KeyValuePair<string, object>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var merged = appendFrom is KeyValuePair<string, object?>[] earlier ? earlier.ToDictionary(StringComparer.Ordinal) : new(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            merged[key] = value;
        }

        return merged.ToArray();
    }

    private static ReadOnlySpan<KeyValuePair<string, object?>> Tags(object tags) => (KeyValuePair<string, object?>[])tags;

    private sealed class Counter<T>(System.Diagnostics.Metrics.Counter<T> counter) : ICustomMetricCounter<T>
        where T : struct
    {
        public void Add(T value, object tags) => counter.Add(value, Tags(tags));
    }

    private sealed class Histogram<T>(System.Diagnostics.Metrics.Histogram<T> histogram) : ICustomMetricHistogram<T>
        where T : struct
    {
        public void Record(T value, object tags) => histogram.Record(value, Tags(tags));
    }

    private sealed class Gauge<T>(System.Diagnostics.Metrics.Gauge<T> gauge) : ICustomMetricGauge<T>
        where T : struct
    {
        public void Set(T value, object tags) => gauge.Record(value, Tags(tags));
    }
}
