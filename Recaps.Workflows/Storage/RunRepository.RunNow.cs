using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Storage;

/// <summary>
/// A run-now request: the pending run, or how long until the cooldown or, when <paramref name="OverQuota"/>,
/// the user's hourly quota lets another through (both null: no such schedule).
/// </summary>
public sealed record RunNowRequest(StoredRun? Run, Duration? RetryAfter, bool OverQuota = false);

/// <summary>Run-now requests: a pending run of an occurrence of its own, started by the sync.</summary>
public sealed partial class RunRepository
{
    /// <summary>Records a run-now request (see the overload with a cooldown) with no cooldown or quota.</summary>
    public async Task<StoredRun?> RequestRunAsync(Guid scheduleId, CancellationToken cancellationToken = default) =>
        (await RequestRunAsync(scheduleId, Duration.Zero, int.MaxValue, cancellationToken)).Run;

    /// <summary>
    /// Records a run-now request as a pending run of its own occurrence, with the outbox row that
    /// has the sync start its workflow; unless the schedule's last run-now was requested less than
    /// <paramref name="cooldown"/> ago, or its user has requested <paramref name="runNowsPerHour"/>
    /// in the last hour (<see cref="UserQuotas"/>). The run is null when the schedule is deleted or does not exist.
    /// </summary>
    public async Task<RunNowRequest> RequestRunAsync(Guid scheduleId, Duration cooldown, int runNowsPerHour, CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        var runId = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The user's lock makes the quota check and the insert one step for concurrent requests on
        // any of their schedules, the schedule's row lock the same for the cooldown.
        const string owner = "(SELECT user_id FROM schedules WHERE id = $1)";
        int? version = null;
        Instant? lastRequest = null;
        Instant? quotaFull = null;
        await using (var find = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                SqlCommands.BatchSql(UserQuotas.Lock(owner), scheduleId),
                SqlCommands.BatchSql("SELECT version FROM schedules WHERE id = $1 AND deleted_at IS NULL FOR UPDATE", scheduleId),
                SqlCommands.BatchSql($"SELECT max(created_at) FROM schedule_runs WHERE schedule_id = $1 AND {UserQuotas.IsRunNow}", scheduleId),
                SqlCommands.BatchSql(UserQuotas.RunNowsFull(owner, "$2", "$3"), scheduleId, now - UserQuotas.Window, runNowsPerHour),
            },
        })
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            version = await reader.ReadAsync(cancellationToken) ? reader.GetInt32(0) : null;
            await reader.NextResultAsync(cancellationToken);
            lastRequest = await reader.ReadAsync(cancellationToken) ? reader.GetNullableValue<Instant>(0) : null;
            await reader.NextResultAsync(cancellationToken);
            quotaFull = await reader.ReadAsync(cancellationToken) ? reader.GetFieldValue<Instant>(0) : null;
        }

        if (version is null)
        {
            return new(null, null);
        }

        if (lastRequest is { } last && now - last < cooldown)
        {
            return new(null, cooldown - (now - last));
        }

        if (quotaFull is { } full)
        {
            return new(null, UserQuotas.RetryAfter(full, now), OverQuota: true);
        }

        StoredRun run;
        await using (var insert = connection.Sql($"""
            INSERT INTO schedule_runs (id, schedule_id, occurrence_key, nominal_time, workflow_id, status, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $4)
            RETURNING {RunRows.Columns}
            """,
            runId, scheduleId, OccurrenceKeys.ForRunNow(runId), now, TemporalScheduleSpecTranslator.RunNowWorkflowId(scheduleId, runId), RunStatus.Pending.ToText()))
        {
            run = (await insert.ReadFirstAsync(RunRows.Read, cancellationToken))!;
        }

        await ScheduleOutbox.AppendAsync(connection, scheduleId, OutboxOperation.Run, version.Value, now, cancellationToken, runId);
        await transaction.CommitAsync(cancellationToken);
        wakeups?.Raise();
        return new(run, null);
    }
}
