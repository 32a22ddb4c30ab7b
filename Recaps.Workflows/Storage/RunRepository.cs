using System.Text.Json;
using NodaTime;
using Npgsql;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Storage;

/// <summary>A workflow's run of an occurrence and the schedule as it was read under the claim's lock.</summary>
/// <summary>
/// A run-now request: the pending run, or how long until the cooldown or, when <paramref name="OverQuota"/>,
/// the user's hourly quota lets another through (both null: no such schedule).
/// </summary>
public sealed record RunNowRequest(StoredRun? Run, Duration? RetryAfter, bool OverQuota = false);

/// <summary>A claimed (or skipped, or missed) occurrence; <paramref name="NewlyMissed"/> only when this claim recorded it missed.</summary>
public sealed record ClaimedOccurrence(StoredRun Run, StoredSchedule Schedule, bool NewlyMissed = false);

/// <summary>
/// What completing a run did: <paramref name="Counted"/> only the first time; <paramref name="DeliveryDelay"/>
/// from the nominal time to the recap being stored.
/// </summary>
public sealed record RunCompletion(bool Counted, bool ScheduleCompleted, Duration DeliveryDelay);

/// <summary>Raised while another run of the same schedule is unfinished; the activity retries until it is.</summary>
public sealed class OccurrenceInProgressException(string message) : Exception(message);

/// <summary>The run history: claims of occurrences, their windows, and how they ended.</summary>
public sealed class RunRepository(NpgsqlDataSource dataSource, IClock clock, TimeZoneData zones, OutboxWakeups? wakeups = null)
{
    private const string Columns = """
        id, schedule_id, occurrence_key, nominal_time, workflow_id, status, reason, window_start, window_end,
        channels, recap_id, error, created_at, completed_at
        """;

    /// <summary>Why a run of a deleted schedule is skipped, whether the claim or a later activity finds it deleted.</summary>
    public const string DeletedReason = "the schedule was deleted";

    /// <summary>
    /// Claims the occurrence a workflow execution stands for, or records why it is skipped (or, given
    /// <paramref name="missedReason"/>, missed: a start too stale to run). Calling it again for the same
    /// workflow returns the first answer. Null when the schedule never existed.
    /// </summary>
    public async Task<ClaimedOccurrence?> ClaimAsync(
        ResolveChannelsInput input, LimitsOptions limits, string? missedReason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(limits);
        var now = clock.GetCurrentInstant();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The row lock serialises claims of one schedule, so the checks below cannot race. Statements
        // that need only the input go in one round trip; each still runs after the one before it.
        StoredSchedule? schedule;
        StoredRun? existing;
        await using (var lockAndFind = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                SqlCommands.BatchSql($"SELECT {ScheduleRepository.Columns} FROM schedules WHERE id = $1 FOR UPDATE", input.ScheduleId),
                SqlCommands.BatchSql($"SELECT {Columns} FROM schedule_runs WHERE workflow_id = $1", input.WorkflowId),
            },
        })
        await using (var reader = await lockAndFind.ExecuteReaderAsync(cancellationToken))
        {
            schedule = await reader.ReadAsync(cancellationToken) ? ScheduleRepository.Read(reader) : null;
            await reader.NextResultAsync(cancellationToken);
            existing = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }

        if (schedule is null)
        {
            return null;
        }

        // A missed occurrence that Temporal starts after all (a backfill, under the id it was recorded with) runs as if pending.
        if (existing is not null && existing.Status is not (RunStatus.Pending or RunStatus.Missed))
        {
            return new(existing, schedule);
        }

        var key = input.RunNowId is { } runNowId
            ? OccurrenceKeys.ForRunNow(runNowId)
            : OccurrenceKeys.ForDate(RecurrenceEngine.OccurrenceDateOf(schedule.RecurrenceIn(zones), input.NominalTime));
        var skipReason = SkipReason(schedule, runNow: input.RunNowId is not null);
        string? missed = null;
        if (skipReason is null)
        {
            var (duplicateOf, inProgress, abandoned) = await OtherRunsAsync(
                connection, schedule.Id, key, input.WorkflowId, now - Duration.FromTimeSpan(limits.AbandonedRunAfter), cancellationToken);
            skipReason = duplicateOf is null ? null : $"duplicate occurrence {key}: already run by {duplicateOf}";
            // A stale start is recorded at once: it neither waits for another run nor closes abandoned ones.
            missed = skipReason is null ? missedReason : null;
            if (skipReason is null && missed is null && inProgress is not null)
            {
                // Windows are cut from the watermark, so two runs at once would cover the same posts.
                throw new OccurrenceInProgressException($"{inProgress} of the same schedule is still running; this run waits for it.");
            }

            if (skipReason is null && missed is null && abandoned.Count > 0)
            {
                schedule = await CloseAbandonedRunsAsync(connection, schedule.Id, abandoned, now, limits, cancellationToken);
            }
        }

        var (windowStart, windowEnd, note) = Window(schedule, input.NominalTime, limits);
        var status = skipReason is not null ? RunStatus.Skipped : missed is not null ? RunStatus.Missed : RunStatus.Running;
        // RETURNING gives the claimed row as stored, without reading it again.
        StoredRun claimed;
        await using (var upsert = connection.Sql($"""
            INSERT INTO schedule_runs (id, schedule_id, occurrence_key, nominal_time, workflow_id, status, reason,
                                       window_start, window_end, created_at, claimed_at, completed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, CASE WHEN $6 <> '{RunStatus.Running.ToText()}' THEN $10 END)
            ON CONFLICT (workflow_id) DO UPDATE SET
                occurrence_key = EXCLUDED.occurrence_key, status = EXCLUDED.status, reason = EXCLUDED.reason,
                window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end,
                claimed_at = EXCLUDED.claimed_at, completed_at = EXCLUDED.completed_at
            RETURNING {Columns}
            """,
            Guid.CreateVersion7(), schedule.Id, key, input.NominalTime, input.WorkflowId,
            status.ToText(), SqlCommands.Text(skipReason ?? missed ?? note),
            status == RunStatus.Running ? windowStart : null, status == RunStatus.Running ? windowEnd : null, now))
        await using (var reader = await upsert.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            claimed = Read(reader);
        }

        // Missed, a one-time schedule's only occurrence never runs: it is over (unless an edit re-anchored it past this one).
        if (status == RunStatus.Missed && !schedule.Intent.Recurring && schedule.AnchorAt < input.NominalTime)
        {
            await ScheduleOutbox.CompleteOneTimeAsync(connection, schedule.Id, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        // A row the reconciler, or an earlier attempt of this claim, recorded missed was counted then.
        return new(claimed, schedule, NewlyMissed: status == RunStatus.Missed && existing?.Status != RunStatus.Missed);
    }

    /// <summary>Stores the channel list of a claimed run once; later calls get the first list, so retries agree.</summary>
    public async Task<IReadOnlyList<RecapChannel>> FixChannelsAsync(Guid runId, IReadOnlyList<RecapChannel> channels, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // COALESCE keeps a list an earlier attempt stored; RETURNING hands back whichever list is stored.
        await using var update = connection.Sql(
            "UPDATE schedule_runs SET channels = COALESCE(channels, $2) WHERE id = $1 RETURNING channels",
            runId, SqlCommands.Jsonb(JsonSerializer.Serialize(channels, RecapsDataConverter.JsonOptions)));
        var stored = await update.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<List<RecapChannel>>(json, RecapsDataConverter.JsonOptions)
            : null;
        return stored ?? throw new InvalidOperationException($"Run {runId} has no channels after they were stored.");
    }

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
            VALUES ($1, $2, $3, $4, $5, '{RunStatus.Pending.ToText()}', $4)
            RETURNING {Columns}
            """, runId, scheduleId, OccurrenceKeys.ForRunNow(runId), now, TemporalScheduleSpecTranslator.RunNowWorkflowId(scheduleId, runId)))
        {
            run = (await insert.ReadFirstAsync(Read, cancellationToken))!;
        }

        await ScheduleOutbox.AppendAsync(connection, scheduleId, OutboxOperation.Run, version.Value, now, cancellationToken, runId);
        await transaction.CommitAsync(cancellationToken);
        wakeups?.Raise();
        return new(run, null);
    }

    public async Task<StoredRun?> GetAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, "id = $1", [runId], cancellationToken);
    }

    public async Task<StoredRun?> GetByWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, "workflow_id = $1", [workflowId], cancellationToken);
    }

    /// <summary>The schedule's run history, newest first, at most <paramref name="limit"/> rows.</summary>
    public async Task<IReadOnlyList<StoredRun>> ListAsync(Guid scheduleId, int limit = int.MaxValue, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql(
            $"SELECT {Columns} FROM schedule_runs WHERE schedule_id = $1 ORDER BY nominal_time DESC, created_at DESC LIMIT $2", scheduleId, limit);
        return await command.ReadAllAsync(Read, cancellationToken);
    }

    /// <summary>
    /// Completes a running run: counts it once, moves the schedule's watermark to its window end, and
    /// completes a one-time schedule (queueing the delete of its Temporal schedule).
    /// </summary>
    public async Task<RunCompletion> CompleteAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await CompleteOnAsync(connection, runId, clock.GetCurrentInstant(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (result.ScheduleCompleted)
        {
            wakeups?.Raise();
        }

        return result;
    }

    /// <summary><see cref="CompleteAsync"/> inside the caller's transaction.</summary>
    private static async Task<RunCompletion> CompleteOnAsync(NpgsqlConnection connection, Guid runId, Instant now, CancellationToken cancellationToken)
    {
        // The schedule row is read locked, as it stands once any concurrent edit has committed: an
        // edit re-anchors a one-time schedule past this run's nominal time, and then this run
        // (of the intent before the edit) must not complete it.
        await using var complete = connection.Sql($"""
            WITH run AS (
                UPDATE schedule_runs SET status = '{RunStatus.Completed.ToText()}', completed_at = $2
                WHERE id = $1 AND status = '{RunStatus.Running.ToText()}'
                RETURNING schedule_id, window_end, nominal_time, recap_id, occurrence_key NOT LIKE $3 || '%' AS scheduled),
            completes AS (
                SELECT run.*, NOT s.recurring AND run.scheduled AND s.status <> '{ScheduleStatus.Completed.ToText()}' AND s.anchor_at < run.nominal_time AS schedule_done
                FROM run JOIN schedules s ON s.id = run.schedule_id
                FOR UPDATE OF s)
            UPDATE schedules s SET
                run_count = s.run_count + 1,
                last_run_at = $2,
                watermark = GREATEST(s.watermark, c.window_end),
                status = CASE WHEN c.schedule_done THEN '{ScheduleStatus.Completed.ToText()}' ELSE s.status END,
                version = s.version + CASE WHEN c.schedule_done THEN 1 ELSE 0 END,
                updated_at = CASE WHEN c.schedule_done THEN $2 ELSE s.updated_at END,
                sync_state = CASE WHEN c.schedule_done THEN '{SyncState.Pending.ToText()}' ELSE s.sync_state END
            FROM completes c WHERE s.id = c.schedule_id
            RETURNING s.id, s.version, c.schedule_done,
                EXTRACT(EPOCH FROM COALESCE((SELECT r.created_at FROM recaps r WHERE r.id = c.recap_id), $2) - c.nominal_time)::float8
            """, runId, now, OccurrenceKeys.RunNowPrefix);
        Guid scheduleId;
        int version;
        bool completedNow;
        Duration deliveryDelay;
        await using (var reader = await complete.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new(Counted: false, ScheduleCompleted: false, Duration.Zero);
            }

            (scheduleId, version, completedNow) = (reader.GetGuid(0), reader.GetInt32(1), reader.GetBoolean(2));
            deliveryDelay = Duration.FromSeconds(reader.GetDouble(3));
        }

        // A one-time schedule's scheduled run completes it; its Temporal schedule is then deleted by the sync.
        if (completedNow)
        {
            await ScheduleOutbox.AppendAsync(connection, scheduleId, OutboxOperation.Delete, version, now, cancellationToken);
        }

        return new(Counted: true, ScheduleCompleted: completedNow, deliveryDelay);
    }

    /// <summary>Records a failed run with its error; a run that failed before its claim gets a row of its own.</summary>
    /// <returns>False when the run had already ended (a retry of this call, or a run completed meanwhile).</returns>
    public async Task<bool> FailAsync(MarkFailedInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql($"""
            INSERT INTO schedule_runs (id, schedule_id, occurrence_key, nominal_time, workflow_id, status, error, created_at, completed_at)
            SELECT $1, s.id, 'failed-' || $3, $4, $3, '{RunStatus.Failed.ToText()}', $5, $6, $6 FROM schedules s WHERE s.id = $2
            ON CONFLICT (workflow_id) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error, completed_at = EXCLUDED.completed_at
            WHERE schedule_runs.status IN ('{RunStatus.Pending.ToText()}', '{RunStatus.Running.ToText()}')
            """, Guid.CreateVersion7(), input.ScheduleId, input.WorkflowId, input.NominalTime, input.Error, clock.GetCurrentInstant());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Records a running run skipped because its schedule was deleted after the claim (a delete is never undone).</summary>
    public async Task SkipDeletedAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await SkipDeletedOnAsync(connection, runId, clock.GetCurrentInstant(), cancellationToken);
    }

    /// <summary><see cref="SkipDeletedAsync"/> inside the caller's transaction.</summary>
    internal static async Task SkipDeletedOnAsync(NpgsqlConnection connection, Guid runId, Instant now, CancellationToken cancellationToken)
    {
        await using var skip = connection.Sql(
            $"UPDATE schedule_runs SET status = '{RunStatus.Skipped.ToText()}', reason = $2, completed_at = $3 WHERE id = $1 AND status = '{RunStatus.Running.ToText()}'",
            runId,
            DeletedReason,
            now);
        await skip.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Why an occurrence does not run. An operator's pause stops run-nows still on their way (queued
    /// before it, started after); a start the operator makes during it (a trigger, a backfill) runs.
    /// </summary>
    private static string? SkipReason(StoredSchedule schedule, bool runNow) => schedule switch
    {
        { DeletedAt: not null } => DeletedReason,
        { Status: ScheduleStatus.Completed } => "the one-time schedule has already run",
        { PausedByUser: true } =>
            schedule.PauseReason is { } reason ? $"paused by the user: {reason}" : "paused by the user",
        { Temporal.OperatorPaused: true } when runNow => $"paused by operator: {PauseNotes.OperatorReason(schedule.Temporal.OperatorPauseReason)}",
        _ => null,
    };

    /// <summary>
    /// Ends the schedule's runs still 'running' after <see cref="LimitsOptions.AbandonedRunAfter"/>
    /// (a workflow terminated by hand) before this run cuts its window: one with a stored recap is
    /// completed as <see cref="CompleteAsync"/> would, one without is failed, so its late activities change nothing.
    /// A late store takes the schedule's row lock too (<see cref="RecapRepository.StoreOnceAsync"/>), so it
    /// commits wholly before this claim read the runs (its recap is seen) or after this claim (it finds its run failed).
    /// </summary>
    /// <returns>The schedule as it is afterwards.</returns>
    private static async Task<StoredSchedule> CloseAbandonedRunsAsync(
        NpgsqlConnection connection, Guid scheduleId, IReadOnlyList<(Guid RunId, bool HasRecap)> abandoned, Instant now, LimitsOptions limits,
        CancellationToken cancellationToken)
    {
        foreach (var (runId, _) in abandoned.Where(a => a.HasRecap))
        {
            await CompleteOnAsync(connection, runId, now, cancellationToken);
        }

        await using (var fail = connection.Sql(
            $"UPDATE schedule_runs SET status = '{RunStatus.Failed.ToText()}', error = $2, completed_at = $3 WHERE id = ANY($1) AND status = '{RunStatus.Running.ToText()}'",
            abandoned.Where(a => !a.HasRecap).Select(a => a.RunId).ToArray(), $"abandoned: still unfinished after {limits.AbandonedRunAfter}", now))
        {
            await fail.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var reread = connection.Sql($"SELECT {ScheduleRepository.Columns} FROM schedules WHERE id = $1", scheduleId);
        return (await reread.ReadFirstAsync(ScheduleRepository.Read, cancellationToken))!;
    }

    /// <summary>
    /// In one round trip: another run of the same occurrence that was not skipped or failed (this one
    /// is then a duplicate), an unfinished run of the schedule (this one waits for it), and the
    /// schedule's runs unfinished since before <paramref name="abandonedBefore"/> (to be closed).
    /// </summary>
    private static async Task<(string? DuplicateOf, string? InProgress, List<(Guid RunId, bool HasRecap)> Abandoned)> OtherRunsAsync(
        NpgsqlConnection connection, Guid scheduleId, string key, string workflowId, Instant abandonedBefore, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                // The same predicate as the partial unique index schedule_runs_one_per_occurrence, which serves it.
                SqlCommands.BatchSql($"""
                    SELECT workflow_id FROM schedule_runs
                    WHERE schedule_id = $1 AND occurrence_key = $2 AND status NOT IN ('{RunStatus.Skipped.ToText()}', '{RunStatus.Failed.ToText()}') AND workflow_id <> $3
                    """, scheduleId, key, workflowId),
                SqlCommands.BatchSql($"""
                    SELECT workflow_id, claimed_at > $3, id, recap_id IS NOT NULL FROM schedule_runs
                    WHERE schedule_id = $1 AND status = '{RunStatus.Running.ToText()}' AND workflow_id <> $2
                    """, scheduleId, workflowId, abandonedBefore),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var duplicateOf = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null;
        await reader.NextResultAsync(cancellationToken);
        string? inProgress = null;
        var abandoned = new List<(Guid, bool)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetBoolean(1))
            {
                inProgress = reader.GetString(0);
            }
            else
            {
                abandoned.Add((reader.GetGuid(2), reader.GetBoolean(3)));
            }
        }

        return (duplicateOf, inProgress, abandoned);
    }

    /// <summary>
    /// The posts an occurrence covers, <c>(start, end]</c>: from the last successful recap's end (or a
    /// bounded lookback) to the nominal time. An occurrence that ends before the watermark covers nothing.
    /// </summary>
    private static (Instant Start, Instant End, string? Note) Window(StoredSchedule schedule, Instant nominal, LimitsOptions limits)
    {
        if (schedule.Watermark is { } watermark && nominal <= watermark)
        {
            return (nominal, nominal, $"covers nothing new: an earlier-finished run already covered up to {watermark}");
        }

        var start = schedule.Watermark ?? nominal - limits.DefaultLookbackDuration;
        var earliest = nominal - limits.MaxLookbackDuration;
        return (start < earliest ? earliest : start, nominal, null);
    }

    private static async Task<StoredRun?> FindAsync(NpgsqlConnection connection, string where, object[] args, CancellationToken cancellationToken)
    {
        await using var command = connection.Sql($"SELECT {Columns} FROM schedule_runs WHERE {where}", args);
        return await command.ReadFirstAsync(Read, cancellationToken);
    }

    private static StoredRun Read(NpgsqlDataReader reader) => new(
        reader.Get<Guid>("id"),
        reader.Get<Guid>("schedule_id"),
        reader.Get<string>("occurrence_key"),
        reader.Get<Instant>("nominal_time"),
        reader.Get<string>("workflow_id"),
        RunStatusText.Parse(reader.Get<string>("status")),
        reader.GetNullable<string>("reason"),
        reader.GetNullableValue<Instant>("window_start"),
        reader.GetNullableValue<Instant>("window_end"),
        reader.GetNullable<string>("channels") is { } channels ? JsonSerializer.Deserialize<List<RecapChannel>>(channels, RecapsDataConverter.JsonOptions) : null,
        reader.GetNullableValue<Guid>("recap_id"),
        reader.GetNullable<string>("error"),
        reader.Get<Instant>("created_at"),
        reader.GetNullableValue<Instant>("completed_at"));
}
