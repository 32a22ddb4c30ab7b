namespace Recaps.Api.Schedules;

/// <summary>
/// <c>Recaps:Quotas</c>: what each user may do per hour, counted in PostgreSQL from what the requests
/// stored (UserQuotas), so the quotas hold across API instances and restarts. The per-schedule
/// run-now cooldown alone would let a create → run → delete loop go on without end. Admins' own
/// schedules count like anyone's: an operator's trigger or backfill goes through Temporal, not the API.
/// </summary>
public sealed class QuotaOptions
{
    public const string Section = "Recaps:Quotas";

    public int RunNowsPerHour { get; set; } = 20;

    /// <summary>Creates and deletes together; a replayed create (Idempotency-Key) stores nothing and is not counted.</summary>
    public int ScheduleChangesPerHour { get; set; } = 30;

    /// <summary>The run-now quota in words, naming its setting, for the problem that refuses one.</summary>
    public string RunNowsLimit => $"At most {RunNowsPerHour} run-nows per hour per user ({Section}:{nameof(RunNowsPerHour)})";

    /// <summary>The quota of creates and deletes in words, naming its setting.</summary>
    public string ScheduleChangesLimit =>
        $"At most {ScheduleChangesPerHour} schedule creates and deletes per hour per user ({Section}:{nameof(ScheduleChangesPerHour)})";

    public IEnumerable<string> Problems()
    {
        if (RunNowsPerHour < 1)
        {
            yield return $"{Section}:{nameof(RunNowsPerHour)} must be at least 1.";
        }

        if (ScheduleChangesPerHour < 1)
        {
            yield return $"{Section}:{nameof(ScheduleChangesPerHour)} must be at least 1.";
        }
    }
}
