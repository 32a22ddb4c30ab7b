using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Sync;

/// <summary>
/// The sync's side of the outbox: claims the changes ready to apply and records how they ended,
/// all in the caller's transaction, so the row locks keep other instances off them until it commits.
/// </summary>
internal static class OutboxStore
{
    /// <summary>
    /// Locks up to <paramref name="batchSize"/> ready changes, at most one per schedule: the oldest
    /// unprocessed one, and only when no other instance holds it. A schedule's later changes wait for
    /// it, so each schedule's changes reach Temporal in the order they were made.
    /// </summary>
    public static async Task<List<PendingChange>> ClaimAsync(NpgsqlConnection connection, int batchSize, Instant now, CancellationToken cancellationToken)
    {
        await using var claim = connection.Sql($"""
            WITH claimed AS (
                SELECT o.id, o.schedule_id, o.operation, o.schedule_version, o.attempts, o.run_id, o.regeneration_id
                FROM schedule_outbox o
                WHERE o.processed_at IS NULL AND o.next_attempt_at <= $1
                  AND NOT EXISTS (
                      SELECT 1 FROM schedule_outbox e
                      WHERE e.schedule_id = o.schedule_id AND e.processed_at IS NULL AND e.id < o.id)
                ORDER BY o.id
                LIMIT $2
                FOR UPDATE OF o SKIP LOCKED)
            SELECT s.*, c.id AS outbox_id, c.operation AS outbox_operation, c.schedule_version AS outbox_version,
                   c.attempts AS outbox_attempts, c.run_id AS outbox_run_id, r.nominal_time AS run_requested_at,
                   c.regeneration_id AS outbox_regeneration_id
            FROM claimed c
            JOIN (SELECT {ScheduleRepository.Columns} FROM schedules) s ON s.id = c.schedule_id
            LEFT JOIN schedule_runs r ON r.id = c.run_id
            ORDER BY c.id
            """, now, batchSize);
        return await claim.ReadAllAsync(
            reader => new PendingChange(
                reader.GetInt64(reader.GetOrdinal("outbox_id")),
                reader.GetString(reader.GetOrdinal("outbox_operation")),
                reader.GetInt32(reader.GetOrdinal("outbox_version")),
                reader.GetInt32(reader.GetOrdinal("outbox_attempts")),
                ScheduleRepository.Read(reader),
                reader.GetNullableValue<Guid>(reader.GetOrdinal("outbox_run_id")),
                reader.GetNullableValue<Instant>(reader.GetOrdinal("run_requested_at")),
                reader.GetNullableValue<Guid>(reader.GetOrdinal("outbox_regeneration_id"))),
            cancellationToken);
    }

    /// <summary>
    /// Marks applied changes processed and failed ones for a later retry, and updates each schedule's
    /// sync state: synced once nothing of it remains unprocessed (and it has not changed since),
    /// otherwise the failure's error, 'error' when Temporal rejected the change, 'pending' when it may
    /// yet take it.
    /// </summary>
    public static async Task RecordAsync(NpgsqlConnection connection, IReadOnlyList<ChangeOutcome> outcomes, Instant now, CancellationToken cancellationToken)
    {
        var applied = outcomes.Where(o => o.Applied is not null).ToList();
        var failed = outcomes.Where(o => o.Applied is null).ToList();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                SqlCommands.BatchSql(
                    "UPDATE schedule_outbox SET processed_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = ANY($1)",
                    applied.Select(o => o.Change.Id).ToArray(), now),
                SpecStore.Written([.. applied.Where(o => o.Applied!.Spec is not null).Select(o => (o.Change.Schedule.Id, o.Applied!.Spec!))]),
                SqlCommands.BatchSql("""
                    UPDATE schedules s SET sync_state = $4, sync_error = NULL, synced_at = $3
                    FROM unnest($1::uuid[], $2::int[]) AS a(id, version)
                    WHERE s.id = a.id AND s.version = a.version
                      AND NOT EXISTS (SELECT 1 FROM schedule_outbox o WHERE o.schedule_id = s.id AND o.processed_at IS NULL)
                    """,
                    applied.Select(o => o.Change.Schedule.Id).ToArray(), applied.Select(o => o.Change.Schedule.Version).ToArray(), now, SyncState.Synced.ToText()),
                SqlCommands.BatchSql("""
                    UPDATE schedule_outbox o SET attempts = o.attempts + 1, next_attempt_at = f.retry_at, last_error = f.error
                    FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) AS f(id, retry_at, error)
                    WHERE o.id = f.id
                    """,
                    failed.Select(o => o.Change.Id).ToArray(), failed.Select(o => o.RetryAt).ToArray(), failed.Select(o => o.Error!).ToArray()),
                SqlCommands.BatchSql("""
                    UPDATE schedules s SET sync_state = f.state, sync_error = f.error
                    FROM unnest($1::uuid[], $2::text[], $3::text[]) AS f(id, error, state)
                    WHERE s.id = f.id
                    """,
                    failed.Select(o => o.Change.Schedule.Id).ToArray(),
                    failed.Select(o => o.Error!).ToArray(),
                    failed.Select(o => (o.Rejected ? SyncState.Error : SyncState.Pending).ToText()).ToArray()),
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// A one-time schedule whose only occurrence passed beyond the catch-up window before it reached
    /// Temporal: the occurrence is recorded as missed and the schedule completed, like one that ran.
    /// </summary>
    /// <returns>1 when the occurrence was recorded as missed now, else 0.</returns>
    public static async Task<int> CompleteMissedOneTimeAsync(NpgsqlConnection connection, MissedRun missed, Instant now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(missed);
        var recorded = await MissedRuns.RecordAsync(connection, [missed], now, cancellationToken);
        await ScheduleOutbox.CompleteOneTimeAsync(connection, missed.ScheduleId, now, evenIfDeleted: false, cancellationToken);
        return recorded;
    }
}
