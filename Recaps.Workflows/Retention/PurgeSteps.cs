using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Retention;

/// <summary>One bounded purge statement: <c>$1</c> is the cutoff (now less the retention), <c>$2</c> the batch size.</summary>
internal sealed record PurgeStep(string Table, Func<RetentionOptions, TimeSpan> Retention, string Sql);

/// <summary>
/// What may go, table by table, in an order the foreign keys allow (a recap before its run, a
/// schedule's rows before it). Each statement deletes at most <c>$2</c> rows and skips rows another
/// transaction holds (SKIP LOCKED), so it neither waits on the sync or a claim nor makes them wait
/// (a recap's feedback goes with it by cascade, and may wait for a feedback being given that moment).
/// </summary>
internal static class PurgeSteps
{
    /// <summary>
    /// A run that ended before <c>$1</c>, unless its window ends at a live schedule's watermark: that
    /// run, and its recap (the latest), show where the next window starts, so they stay however old.
    /// Pending and running runs are never purged.
    /// </summary>
    private static readonly string EndedRun = $"""
        r.completed_at < $1 AND r.status NOT IN ({RunRows.Literals(Enum.GetValues<RunStatus>().Where(RunLifecycle.IsUnfinished))})
        AND NOT EXISTS (SELECT 1 FROM schedules w WHERE w.id = r.schedule_id AND w.deleted_at IS NULL AND w.watermark = r.window_end)
        """;

    /// <summary>
    /// A schedule deleted before <c>$1</c> whose deletion has reached Temporal (no outbox row of it still
    /// waits): its runs may go whatever their age or state, since no workflow of it runs a day on.
    /// </summary>
    private const string GoneSchedule = """
        s.deleted_at < $1
        AND NOT EXISTS (SELECT 1 FROM schedule_outbox o WHERE o.schedule_id = s.id AND o.processed_at IS NULL)
        """;

    private const string RunsOfGoneSchedules = $"schedules s JOIN schedule_runs r ON r.schedule_id = s.id WHERE {GoneSchedule}";

    private const string WithoutRecap = "AND NOT EXISTS (SELECT 1 FROM recaps c WHERE c.run_id = r.id)";

    private const string RecapsOfGoneSchedules = $"schedules s JOIN schedule_runs r ON r.schedule_id = s.id JOIN recaps c ON c.run_id = r.id WHERE {GoneSchedule}";

    public static IReadOnlyList<PurgeStep> All { get; } =
    [
        // Applied changes only; one still waiting for Temporal stays however old.
        Step("schedule_outbox", o => o.ProcessedOutbox, "o", "schedule_outbox o WHERE o.processed_at < $1"),
        Step("idempotency_keys", o => o.IdempotencyKeys, "k", "idempotency_keys k WHERE k.created_at < $1"),
        // A day's spend goes once the whole day is past its retention.
        Step("agent_token_spend", o => o.AgentTokenSpend, "a", "agent_token_spend a WHERE a.day < ($1 AT TIME ZONE 'UTC')::date", "a.day"),
        Step("recaps", o => o.Runs, "c", $"schedule_runs r JOIN recaps c ON c.run_id = r.id WHERE {EndedRun}", "r.completed_at"),
        Step("recaps", o => o.DeletedSchedules, "c", RecapsOfGoneSchedules, "s.deleted_at"),
        Step("schedule_runs", o => o.Runs, "r", $"schedule_runs r WHERE {EndedRun} {WithoutRecap}", "r.completed_at"),
        Step("schedule_runs", o => o.DeletedSchedules, "r", $"{RunsOfGoneSchedules} {WithoutRecap}", "s.deleted_at"),
        // Last, once nothing names it: its applied outbox rows and its idempotency keys go on their own
        // clocks, so a key's replay window holds even for a deleted schedule (it answers "deleted").
        Step("schedules", o => o.DeletedSchedules, "s", $"""
            schedules s WHERE {GoneSchedule}
              AND NOT EXISTS (SELECT 1 FROM schedule_outbox o WHERE o.schedule_id = s.id)
              AND NOT EXISTS (SELECT 1 FROM schedule_runs r WHERE r.schedule_id = s.id)
              AND NOT EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.user_id = s.user_id AND k.schedule_id = s.id)
            """, "s.deleted_at"),
    ];

    /// <summary>
    /// Deletes up to <c>$2</c> rows of <paramref name="table"/> that <paramref name="from"/> finds under
    /// <paramref name="alias"/>, locking only those and finding them again by their place (ctid, the
    /// row's own lock keeps it there). <paramref name="oldestFirst"/>, where an index (0006_retention)
    /// has it in order, lets the planner walk that index and stop at the batch size; the outbox and the
    /// keys, unindexed, are scanned in whatever order.
    /// </summary>
    private static PurgeStep Step(string table, Func<RetentionOptions, TimeSpan> retention, string alias, string from, string? oldestFirst = null) => new(
        table,
        retention,
        $"""
        DELETE FROM {table} WHERE ctid = ANY(ARRAY(
            SELECT {alias}.ctid FROM {from}
            {(oldestFirst is null ? "" : $"ORDER BY {oldestFirst}")} LIMIT $2 FOR UPDATE OF {alias} SKIP LOCKED))
        """);
}
