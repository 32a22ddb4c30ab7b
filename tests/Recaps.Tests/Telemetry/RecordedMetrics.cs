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
    private readonly ConcurrentQueue<(string Instrument, double Value)> _measurements = new();

    public RecordedMetrics(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _measurements.Enqueue((instrument.Name, value)));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => _measurements.Enqueue((instrument.Name, value)));
        _listener.Start();
    }

    /// <summary>The values recorded so far by <paramref name="instrument"/>, oldest first; a gauge is observed now.</summary>
    public IReadOnlyList<double> Of(string instrument)
    {
        _listener.RecordObservableInstruments();
        return [.. _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value)];
    }

    public double Sum(string instrument) => Of(instrument).Sum();

    public void Dispose() => _listener.Dispose();
}
