using System.Diagnostics.Metrics;
using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Telemetry;

/// <summary>
/// The "Recaps" meter: what an operator watches to know recaps arrive, on time, and schedules reach Temporal.
/// Each measurement is taken where the database confirms the change happened for the first time,
/// so retried activities and replayed workflows never count twice.
/// </summary>
public sealed class RecapsMetrics
{
    public const string MeterName = "Recaps";

    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _deliveryDelay;
    private readonly Counter<long> _missed;
    private readonly Counter<long> _syncApplied;
    private readonly Counter<long> _syncErrors;
    private readonly Counter<long> _specDrifts;
    private readonly Counter<long> _purged;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _agentTokens;
    private readonly Histogram<double> _agentLatency;
    private readonly Counter<long> _droppedCitations;
    private readonly Counter<long> _fallbacks;

    // Kept from the sync's last pass, so a scrape never queries the database.
    private long _syncPending;
    private long _specsOverdue;

    public RecapsMetrics(IMeterFactory meterFactory, TimeZoneData zones)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(zones);
        var meter = meterFactory.Create(MeterName);
        _completed = meter.CreateCounter<long>("recaps.recaps.completed", "{recap}", "Runs completed with a stored recap");
        _failed = meter.CreateCounter<long>("recaps.recaps.failed", "{recap}", "Runs that failed");
        _deliveryDelay = meter.CreateHistogram<double>(
            "recaps.delivery.delay", "s", "From an occurrence's nominal time to its recap being stored",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600] });
        _missed = meter.CreateCounter<long>("recaps.occurrences.missed", "{occurrence}", "Occurrences recorded as missed (never started)");
        _syncApplied = meter.CreateCounter<long>("recaps.sync.applied", "{change}", "Schedule changes applied to Temporal");
        _syncErrors = meter.CreateCounter<long>("recaps.sync.errors", "{change}", "Schedule changes Temporal did not accept (retried later)");
        meter.CreateObservableGauge("recaps.sync.pending", () => Volatile.Read(ref _syncPending), "{change}", "Outbox changes not yet applied, as of the sync's last pass");
        _specDrifts = meter.CreateCounter<long>(
            "recaps.specs.drifted", "{schedule}", "Schedules whose next matching times on the server differed from the preview (then re-synced)");
        meter.CreateObservableGauge(
            "recaps.specs.overdue", () => Volatile.Read(ref _specsOverdue), "{schedule}", "Specs not rolled forward in time, as of the reconciler's last pass");
        _purged = meter.CreateCounter<long>("recaps.retention.purged", "{row}", "Rows purged past their retention, by table");
        _deliveries = meter.CreateCounter<long>(
            "recaps.deliveries", "{delivery}", "Deliveries of recaps by target type and outcome: delivered, failed, or retried (a send that will be tried again)");
        _agentTokens = meter.CreateCounter<long>("recaps.agent.tokens", "{token}", "Tokens LLM agents spent, by agent, model and direction (input or output)");
        _agentLatency = meter.CreateHistogram<double>(
            "recaps.agent.latency", "s", "Time a channel's model calls took, by agent and model",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300] });
        _droppedCitations = meter.CreateCounter<long>("recaps.agent.dropped_citations", "{citation}", "Cited post ids dropped because no given post had them, by agent");
        _fallbacks = meter.CreateCounter<long>("recaps.agent.fallbacks", "{recap}", "Recaps stored as the extractive one instead of the agent's, by agent and reason");
        // The version as a label, so a dashboard shows which rules every process reads.
        meter.CreateObservableGauge(
            "recaps.tzdb", () => new Measurement<int>(1, new KeyValuePair<string, object?>("version", zones.Version)), "{tzdb}", "The tz database in use");
    }

    public void RecapCompleted(Duration deliveryDelay)
    {
        _completed.Add(1);
        _deliveryDelay.Record(deliveryDelay.TotalSeconds);
    }

    public void RecapFailed() => _failed.Add(1);

    public void OccurrencesMissed(int count)
    {
        if (count > 0)
        {
            _missed.Add(count);
        }
    }

    public void SyncPass(int applied, int errors)
    {
        if (applied > 0)
        {
            _syncApplied.Add(applied);
        }

        if (errors > 0)
        {
            _syncErrors.Add(errors);
        }
    }

    public void SyncPending(long pending) => Volatile.Write(ref _syncPending, pending);

    public void SpecsDrifted(int count)
    {
        if (count > 0)
        {
            _specDrifts.Add(count);
        }
    }

    public void SpecsOverdue(long overdue) => Volatile.Write(ref _specsOverdue, overdue);

    public void Delivery(string type, string outcome) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("outcome", outcome));

    public void Purged(string table, long count) => _purged.Add(count, new KeyValuePair<string, object?>("table", table));

    /// <summary>A channel's model calls: measured as they are paid for, a retried attempt's included.</summary>
    public void AgentChannel(string agent, Generation.Agents.AgentUsage usage, int droppedCitations)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.Calls == 0)
        {
            return;
        }

        var model = usage.Model ?? "";
        _agentTokens.Add(usage.InputTokens, Tag("agent", agent), Tag("model", model), Tag("direction", "input"));
        _agentTokens.Add(usage.OutputTokens, Tag("agent", agent), Tag("model", model), Tag("direction", "output"));
        _agentLatency.Record(usage.Latency.TotalSeconds, Tag("agent", agent), Tag("model", model));
        if (droppedCitations > 0)
        {
            _droppedCitations.Add(droppedCitations, Tag("agent", agent));
        }
    }

    /// <summary>A recap stored (the first time): counted when it is the extractive one instead of <paramref name="agent"/>'s.</summary>
    public void AgentFallback(string agent, string? reason)
    {
        if (reason is not null)
        {
            _fallbacks.Add(1, Tag("agent", agent), Tag("reason", reason));
        }
    }

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}
