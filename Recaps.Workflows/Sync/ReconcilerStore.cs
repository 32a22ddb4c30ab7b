using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Sync;

/// <summary>
/// A live schedule as the reconciler sees it: <see cref="Settled"/> when the sync has applied all of
/// its changes (only then is a difference from Temporal drift rather than work in progress).
/// </summary>
public sealed record ReconciledSchedule(StoredSchedule Schedule, bool Settled, Instant? DriftCheckedAt, Instant? MissedCheckedUntil);

/// <summary>The reconciler's reads and writes, in its transaction.</summary>
internal static class ReconcilerStore
{
    // An arbitrary constant that identifies "Recaps reconcile pass" among advisory locks.
    internal const long LockKey = 0x5245_4341_5052;

    /// <summary>False when another instance is reconciling; it is held until the transaction ends.</summary>
    public static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.Sql("SELECT pg_try_advisory_xact_lock($1)", LockKey);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Schedules that should have a Temporal schedule: neither deleted nor completed.</summary>
    public static async Task<List<ReconciledSchedule>> LiveSchedulesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.Sql($"""
            SELECT {ScheduleRepository.Columns}, drift_checked_at, missed_checked_until,
                   sync_state = '{SyncState.Synced.ToText()}' AND NOT EXISTS (
                       SELECT 1 FROM schedule_outbox o WHERE o.schedule_id = schedules.id AND o.processed_at IS NULL) AS in_sync
            FROM schedules WHERE deleted_at IS NULL AND status <> '{ScheduleStatus.Completed.ToText()}'
            """);
        return await command.ReadAllAsync(
            reader => new ReconciledSchedule(
                ScheduleRepository.Read(reader),
                reader.GetBoolean(reader.GetOrdinal("in_sync")),
                reader.GetNullableValue<Instant>(reader.GetOrdinal("drift_checked_at")),
                reader.GetNullableValue<Instant>(reader.GetOrdinal("missed_checked_until"))),
            cancellationToken);
    }

    /// <summary>Stores what Temporal says of each schedule, writing only the rows where it changed.</summary>
    public static async Task MirrorAsync(NpgsqlConnection connection, IReadOnlyList<(Guid Id, TemporalMirror Mirror)> mirrors, CancellationToken cancellationToken)
    {
        await using var update = connection.Sql("""
            UPDATE schedules s SET operator_paused_at = m.paused_at, operator_pause_reason = m.reason,
                                   next_action_at = m.next_at, last_action_at = m.last_at
            FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS m(id, paused_at, reason, next_at, last_at)
            WHERE s.id = m.id
              AND (s.operator_paused_at, s.operator_pause_reason, s.next_action_at, s.last_action_at)
                  IS DISTINCT FROM (m.paused_at, m.reason, m.next_at, m.last_at)
            """,
            mirrors.Select(m => m.Id).ToArray(),
            mirrors.Select(m => m.Mirror.OperatorPausedAt).ToArray(),
            mirrors.Select(m => m.Mirror.OperatorPauseReason).ToArray(),
            mirrors.Select(m => m.Mirror.NextActionAt).ToArray(),
            mirrors.Select(m => m.Mirror.LastActionAt).ToArray());
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Queues a change for the sync, so repairs take the one path every change takes (order, retries, sync state).</summary>
    public static async Task QueueAsync(NpgsqlConnection connection, StoredSchedule schedule, OutboxOperation operation, Instant now, CancellationToken cancellationToken)
    {
        await using (var pending = connection.Sql("UPDATE schedules SET sync_state = $2 WHERE id = $1", schedule.Id, SyncState.Pending.ToText()))
        {
            await pending.ExecuteNonQueryAsync(cancellationToken);
        }

        await ScheduleOutbox.AppendAsync(connection, schedule.Id, operation, schedule.Version, now, cancellationToken);
    }

    public static async Task CheckpointAsync(NpgsqlConnection connection, IReadOnlyList<Guid> scheduleIds, Instant checkedUntil, CancellationToken cancellationToken)
    {
        await using var update = connection.Sql("UPDATE schedules SET missed_checked_until = $2 WHERE id = ANY($1)", scheduleIds.ToArray(), checkedUntil);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
