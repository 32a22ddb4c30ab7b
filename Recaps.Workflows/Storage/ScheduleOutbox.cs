using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Storage;

internal static class ScheduleOutbox
{
    /// <summary>
    /// A CTE (<c>outbox AS (…)</c>) that appends <paramref name="operation"/> for every row of
    /// <paramref name="changedRows"/>, a CTE returning <c>id</c> and <c>version</c>, so a change and its
    /// outbox row are one statement.
    /// </summary>
    public static string AppendFrom(string changedRows, OutboxOperation operation, string nowParameter) => $"""
        outbox AS (
            INSERT INTO schedule_outbox (schedule_id, operation, schedule_version, created_at, next_attempt_at)
            SELECT id, '{operation.ToText()}', version, {nowParameter}, {nowParameter} FROM {changedRows})
        """;

    /// <summary>
    /// Appends a change for the sync to apply; call inside the transaction that changed the schedule.
    /// A run-now names its run, a regeneration its request, whose workflow the sync starts.
    /// </summary>
    public static async Task AppendAsync(
        NpgsqlConnection connection, Guid scheduleId, OutboxOperation operation, int version, Instant now, CancellationToken cancellationToken,
        Guid? runId = null, Guid? regenerationId = null)
    {
        await using var command = connection.Sql("""
            INSERT INTO schedule_outbox (schedule_id, operation, schedule_version, run_id, regeneration_id, created_at, next_attempt_at)
            VALUES ($1, $2, $3, $4, $5, $6, $6)
            """, scheduleId, operation.ToText(), version, runId, regenerationId, now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Completes a one-time schedule (<see cref="OneTimeCompletion"/> decides when) and queues the delete
    /// of its Temporal schedule, which clears whatever an earlier version of it left there. A schedule
    /// already completed, or (unless <paramref name="evenIfDeleted"/>) deleted, is left as it is.
    /// </summary>
    /// <returns>Whether it was completed now.</returns>
    public static async Task<bool> CompleteOneTimeAsync(
        NpgsqlConnection connection, Guid scheduleId, Instant now, bool evenIfDeleted, CancellationToken cancellationToken)
    {
        await using var complete = connection.Sql("""
            UPDATE schedules SET status = $3, version = version + 1, updated_at = $2, sync_state = $4
            WHERE id = $1 AND ($5 OR deleted_at IS NULL) AND status <> $3
            RETURNING version
            """, scheduleId, now, ScheduleStatus.Completed.ToText(), SyncState.Pending.ToText(), evenIfDeleted);
        if (await complete.ExecuteScalarAsync(cancellationToken) is not int version)
        {
            return false;
        }

        await AppendAsync(connection, scheduleId, OutboxOperation.Delete, version, now, cancellationToken);
        return true;
    }
}
