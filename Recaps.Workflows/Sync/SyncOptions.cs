namespace Recaps.Workflows.Sync;

/// <summary>The <c>Recaps:Sync</c> configuration section: how the sync and the reconciler pace themselves.</summary>
public sealed class SyncOptions
{
    public const string Section = "Recaps:Sync";

    /// <summary>The sync wakes on a database notification; this is the fallback when one is lost (e.g. while reconnecting).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Changes claimed per transaction.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// Temporal calls in flight at once; a schedule has at most one change in flight, so its changes
    /// never race. More than the server answers at once only queues there (§5 of BENCHMARKS.md).
    /// </summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>The wait after a change's first failure; it doubles with every further one …</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>… up to this, so a long outage ends in retries this often.</summary>
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A spec is rolled forward when its year is over; one still not rolled this long after is flagged
    /// (the schedule's <c>sync.specOverdue</c>, a metric, a log), years before it would stop firing.
    /// </summary>
    public TimeSpan SpecRefreshGrace { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Specs looked at for a roll-forward or a new tzdb per reconcile pass; the rest wait for the next.
    /// The re-syncs they queue go at the sync's pace only while a pass queues more than the sync
    /// drains in a <see cref="ReconcileInterval"/> (10,000 a minute is ~170/s).
    /// </summary>
    public int SpecRefreshesPerPass { get; set; } = 10_000;

    /// <summary>Schedules whose next matching times are asked of the server per pass, the longest unchecked first.</summary>
    public int DriftChecksPerPass { get; set; } = 20;

    /// <summary>How far ahead a drift check compares the server's matching times with the preview.</summary>
    public TimeSpan DriftWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Beyond the catch-up window, how long an occurrence may still start (jitter, a late worker)
    /// before the reconciler records it as missed.
    /// </summary>
    public TimeSpan MissedGrace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The owner mark written on this deployment's Temporal schedules (<see cref="ScheduleOwner"/>);
    /// unset, the id generated in the database. Set it when two databases claim one identity (a
    /// restored copy beside its original on one namespace).
    /// </summary>
    public string? Owner { get; set; }

    /// <summary>Start-up checks with messages that name the setting and the rule.</summary>
    public IEnumerable<string> Problems()
    {
        if (PollInterval <= TimeSpan.Zero)
        {
            yield return "Recaps:Sync:PollInterval must be positive.";
        }

        if (BatchSize is < 1 or > 10_000)
        {
            yield return "Recaps:Sync:BatchSize must be between 1 and 10000.";
        }

        if (Concurrency is < 1 or > 256)
        {
            yield return "Recaps:Sync:Concurrency must be between 1 and 256.";
        }

        if (BackoffBase <= TimeSpan.Zero || BackoffMax < BackoffBase)
        {
            yield return "Recaps:Sync:BackoffBase must be positive and at most Recaps:Sync:BackoffMax.";
        }

        if (ReconcileInterval <= TimeSpan.Zero)
        {
            yield return "Recaps:Sync:ReconcileInterval must be positive.";
        }

        if (SpecRefreshGrace < TimeSpan.Zero || SpecRefreshGrace > TimeSpan.FromDays(365))
        {
            yield return "Recaps:Sync:SpecRefreshGrace must be between 0 and 365 days.";
        }

        if (SpecRefreshesPerPass < 1 || DriftChecksPerPass < 0)
        {
            yield return "Recaps:Sync:SpecRefreshesPerPass must be at least 1 and Recaps:Sync:DriftChecksPerPass at least 0.";
        }

        if (DriftWindow < TimeSpan.FromDays(1) || DriftWindow > TimeSpan.FromDays(365))
        {
            yield return "Recaps:Sync:DriftWindow must be between 1 and 365 days.";
        }

        if (MissedGrace < TimeSpan.Zero)
        {
            yield return "Recaps:Sync:MissedGrace must not be negative.";
        }

        if (Owner is not null && (string.IsNullOrWhiteSpace(Owner) || Owner.Length > 200 || Owner.Trim() != Owner))
        {
            yield return "Recaps:Sync:Owner must be 1 to 200 characters without leading or trailing spaces, or unset.";
        }
    }
}
