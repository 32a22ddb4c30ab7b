namespace Recaps.Workflows.Sync;

/// <summary>The <c>Recaps:Sync</c> configuration section: how the sync and the reconciler pace themselves.</summary>
public sealed class SyncOptions
{
    public const string Section = "Recaps:Sync";

    /// <summary>The sync wakes on a database notification; this is the fallback when one is lost (e.g. while reconnecting).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Changes claimed per transaction.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Temporal calls in flight at once; a batch holds at most one change per schedule, so they never race.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>The wait after a change's first failure; it doubles with every further one …</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>… up to this, so a long outage ends in retries this often.</summary>
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A spec written longer ago than this is written again, so its DST entries keep reaching the horizon.</summary>
    public TimeSpan SpecRefreshAge { get; set; } = TimeSpan.FromDays(30);

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

        if (SpecRefreshAge < TimeSpan.FromDays(1))
        {
            yield return "Recaps:Sync:SpecRefreshAge must be at least one day.";
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
