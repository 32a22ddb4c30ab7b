using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Recaps.Tests.Telemetry;

/// <summary>
/// Every measurement of the meters one <see cref="IMeterFactory"/> made; meters of other factories
/// (tests running alongside) are not listened to.
/// </summary>
internal sealed class RecordedMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public RecordedMetrics(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.Start();
    }

    /// <summary>The values recorded so far by <paramref name="instrument"/>, oldest first; a gauge is observed now.</summary>
    public IReadOnlyList<double> Of(string instrument)
    {
        _listener.RecordObservableInstruments();
        return [.. _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value)];
    }

    public double Sum(string instrument) => Of(instrument).Sum();

    /// <summary>The sum of the values <paramref name="instrument"/> recorded with the tag <paramref name="tag"/> set to <paramref name="value"/>.</summary>
    public double Sum(string instrument, string tag, string value) =>
        _measurements.Where(m => m.Instrument == instrument && m.Tags.Any(t => t.Key == tag && Equals(t.Value, value))).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
