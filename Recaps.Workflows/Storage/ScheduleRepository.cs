using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Storage;

/// <summary>
/// A delete request: whether it deleted; when the user's hourly quota refused it, how long until it
/// would not. Neither: no such live schedule.
/// </summary>
public sealed record ScheduleDeletion(bool Deleted, Duration? RetryAfter = null);

/// <summary>Schedules and their outbox: every change of intent is written with its outbox row in one transaction.</summary>
public sealed class ScheduleRepository(NpgsqlDataSource dataSource, IClock clock, OutboxWakeups? wakeups = null)
{
    internal const string Columns = """
        id, user_id, title, days_of_week, time_of_day, time_zone, channel_mode, channel_ids, recurring, agent,
        custom_instructions, status, paused_by, pause_reason, anchor_at, version, created_at, updated_at,
        deleted_at, last_run_at, run_count, watermark, sync_state, sync_error, synced_at,
        operator_paused_at, operator_pause_reason, next_action_at, last_action_at,
        spec_until, spec_tzdb, spec_inputs, spec_hash, drift_at, drift_expected, drift_listed, drift_seen_at,
        skip_if_empty, skip_dates, deliver_to
        """;

    /// <summary>What every change of a schedule's intent sets besides its own columns; <c>$2</c> is the time.</summary>
    private static readonly string Changed = $"version = version + 1, updated_at = $2, sync_state = '{SyncState.Pending.ToText()}'";

    /// <summary>The status column after an update of the intent, as <see cref="ScheduleLifecycle.AfterUpdate"/> has it.</summary>
    private static readonly string StatusAfterUpdate =
        $"CASE status {string.Join(' ', Enum.GetValues<ScheduleStatus>().Where(s => ScheduleLifecycle.AfterUpdate(s) != s).Select(s => $"WHEN '{s.ToText()}' THEN '{ScheduleLifecycle.AfterUpdate(s).ToText()}'"))} ELSE status END";

    public async Task<StoredSchedule> CreateAsync(string userId, ScheduleIntent intent, CancellationToken cancellationToken = default) =>
        (await CreateAsync(new NewSchedule(userId, intent, int.MaxValue), cancellationToken)).Schedule!;

    /// <summary>
    /// Creates a schedule with its outbox row, unless the user is at their limit, has used their
    /// hourly quota of creates and deletes (<see cref="UserQuotas"/>), or the idempotency key was used
    /// before (then the schedule it created is returned, if the request is the same).
    /// </summary>
    public async Task<ScheduleCreation> CreateAsync(NewSchedule request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (userId, intent) = (request.UserId, request.Intent);
        var now = clock.GetCurrentInstant();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One round trip, one implicit transaction. The user's advisory lock makes the key check, the
        // count and the quota hold until commit, so concurrent creates cannot pass the limit or the
        // quota or reuse a key. A replay stores nothing, so neither the limit nor the quota stops it.
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { SqlCommands.BatchSql(UserQuotas.Lock("$1"), userId) } };
        // Only a request with a key can be a replay: one statement fewer for the others.
        if (request.IdempotencyKey is not null)
        {
            batch.BatchCommands.Add(SqlCommands.BatchSql("""
                SELECT k.request_hash, k.schedule_id, s.deleted_at IS NOT NULL
                FROM idempotency_keys k JOIN schedules s ON s.id = k.schedule_id
                WHERE k.user_id = $1 AND k.key = $2
                """, userId, request.IdempotencyKey));
        }

        batch.BatchCommands.Add(SqlCommands.BatchSql($"""
            WITH refusal AS (
                SELECT EXISTS (SELECT 1 FROM idempotency_keys WHERE user_id = $2 AND key = $13) AS key_used,
                       (SELECT count(*) FROM schedules WHERE user_id = $2 AND deleted_at IS NULL) >= $14 AS at_limit,
                       ({UserQuotas.ChangesFull("$2", "$16", "$17")}) AS quota_full),
            inserted AS (
                INSERT INTO schedules (id, user_id, title, days_of_week, time_of_day, time_zone, channel_mode, channel_ids,
                                       recurring, agent, custom_instructions, anchor_at, created_at, updated_at, skip_if_empty, skip_dates, deliver_to)
                SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12, $18, $19, $20
                FROM refusal WHERE NOT key_used AND NOT at_limit AND quota_full IS NULL
                RETURNING {Columns}),
            {ScheduleOutbox.AppendFrom("inserted", OutboxOperation.Upsert, "$12")},
            keyed AS (
                INSERT INTO idempotency_keys (user_id, key, request_hash, schedule_id, created_at)
                SELECT $2, $13, $15, id, $12 FROM inserted WHERE $13 IS NOT NULL)
            SELECT {Columns}, at_limit, quota_full FROM refusal LEFT JOIN inserted ON TRUE
            """,
            Guid.CreateVersion7(), userId, intent.Title, (short)intent.DaysOfWeek.Bits, intent.TimeOfDay, intent.TimeZoneId,
            intent.ChannelMode.ToWire(), intent.ChannelIds.ToArray(), intent.Recurring, intent.Agent,
            SqlCommands.Text(intent.CustomInstructions), now, SqlCommands.Text(request.IdempotencyKey), request.MaxSchedulesPerUser,
            SqlCommands.Text(request.RequestHash), now - UserQuotas.Window, request.ChangesPerHour,
            intent.SkipIfEmpty, intent.SkipDates.Dates.ToArray(), DeliverTo(intent)));
        (string Hash, Guid ScheduleId, bool Deleted)? earlier = null;
        StoredSchedule? created;
        bool atLimit;
        Instant? quotaFull;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            if (request.IdempotencyKey is not null)
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    earlier = (reader.GetString(0), reader.GetGuid(1), reader.GetBoolean(2));
                }

                await reader.NextResultAsync(cancellationToken);
            }

            await reader.ReadAsync(cancellationToken);
            created = reader.IsDBNull(reader.GetOrdinal("id")) ? null : Read(reader);
            atLimit = reader.GetBoolean(reader.GetOrdinal("at_limit"));
            quotaFull = reader.GetNullableValue<Instant>(reader.GetOrdinal("quota_full"));
        }

        if (created is not null)
        {
            wakeups?.Raise();
        }

        return (created, earlier) switch
        {
            ({ } schedule, _) => new(ScheduleCreationOutcome.Created, schedule),
            (null, { Hash: var hash }) when hash != request.RequestHash => new(ScheduleCreationOutcome.KeyReused, null),
            (null, { Deleted: true }) => new(ScheduleCreationOutcome.KeyOfDeletedSchedule, null),
            (null, { ScheduleId: var id }) => new(ScheduleCreationOutcome.Replayed, await GetAsync(id, cancellationToken)),
            _ when !atLimit && quotaFull is { } full => new(ScheduleCreationOutcome.QuotaReached, null, UserQuotas.RetryAfter(full, now)),
            _ => new(ScheduleCreationOutcome.LimitReached, null),
        };
    }

    /// <summary>Replaces the intent of a live schedule of <paramref name="userId"/>; null when there is none.</summary>
    /// <remarks>
    /// A one-time schedule runs once after it is created or updated, so the update moves its anchor
    /// to now, and a completed one becomes active again. A pause stays.
    /// </remarks>
    public async Task<StoredSchedule?> UpdateAsync(Guid id, string userId, ScheduleIntent intent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var update = connection.Sql($"""
            WITH changed AS (
                UPDATE schedules SET title = $3, days_of_week = $4, time_of_day = $5, time_zone = $6, channel_mode = $7,
                    channel_ids = $8, recurring = $9, agent = $10, custom_instructions = $11, anchor_at = $12,
                    skip_if_empty = $13, skip_dates = $14, deliver_to = $15, status = {StatusAfterUpdate},
                    version = version + 1, updated_at = $12, sync_state = '{SyncState.Pending.ToText()}'
                WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL
                RETURNING {Columns}),
            {ScheduleOutbox.AppendFrom("changed", OutboxOperation.Upsert, "$12")}
            SELECT {Columns} FROM changed
            """,
            id, userId, intent.Title, (short)intent.DaysOfWeek.Bits, intent.TimeOfDay, intent.TimeZoneId, intent.ChannelMode.ToWire(),
            intent.ChannelIds.ToArray(), intent.Recurring, intent.Agent, SqlCommands.Text(intent.CustomInstructions), clock.GetCurrentInstant(),
            intent.SkipIfEmpty, intent.SkipDates.Dates.ToArray(), DeliverTo(intent));
        var updated = await update.ReadFirstAsync(Read, cancellationToken);
        if (updated is not null)
        {
            wakeups?.Raise();
        }

        return updated;
    }

    public Task<IReadOnlyList<StoredSchedule>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        ListAsync(userId, int.MaxValue, after: null, cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> live schedules of a user, newest first, from just past
    /// <paramref name="after"/> (the start when null). A position is a key, not an offset: schedules
    /// created or deleted since it was taken move nothing after it.
    /// </summary>
    public async Task<IReadOnlyList<StoredSchedule>> ListAsync(string userId, int limit, SchedulePosition? after, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql(
            $"""
            SELECT {Columns} FROM schedules
            WHERE user_id = $1 AND deleted_at IS NULL AND (created_at, id) < ($2, $3)
            ORDER BY created_at DESC, id DESC LIMIT $4
            """,
            userId, after?.CreatedAt ?? Instant.MaxValue, after?.Id ?? Guid.AllBitsSet, limit);
        return await command.ReadAllAsync(reader => new ScheduleOrdinals(reader), Read, cancellationToken);
    }

    /// <summary>The live schedule when it belongs to <paramref name="userId"/>; null otherwise, so others' schedules look absent.</summary>
    public async Task<StoredSchedule?> FindOwnedAsync(Guid id, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql(
            $"SELECT {Columns} FROM schedules WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL", id, userId);
        return await command.ReadFirstAsync(Read, cancellationToken);
    }

    /// <summary>The schedule, deleted or not; null when it never existed.</summary>
    public async Task<StoredSchedule?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql($"SELECT {Columns} FROM schedules WHERE id = $1", id);
        return await command.ReadFirstAsync(Read, cancellationToken);
    }

    /// <returns>The schedule as paused; null when there is no live schedule that is not completed.</returns>
    public Task<StoredSchedule?> PauseAsync(Guid id, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            id,
            OutboxOperation.Pause,
            $"status = '{ScheduleStatus.Paused.ToText()}', paused_by = '{PauseOwner.User.ToText()}', pause_reason = $3",
            $"status IN ({SqlCommands.Literals(Enum.GetValues<ScheduleStatus>().Where(ScheduleLifecycle.CanPause), ScheduleStatusText.ToText)})",
            cancellationToken,
            SqlCommands.Text(reason));

    /// <returns>The schedule as resumed; null when there is no live schedule paused by its user.</returns>
    public Task<StoredSchedule?> ResumeAsync(Guid id, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            id,
            OutboxOperation.Resume,
            $"status = '{ScheduleStatus.Active.ToText()}', paused_by = NULL, pause_reason = NULL",
            $"paused_by = '{PauseOwner.User.ToText()}'",
            cancellationToken);

    /// <summary>
    /// Sets the skip dates of a live schedule as a change of its intent (new version, outbox row), if
    /// it is still at <paramref name="version"/>: the caller decided them from that version.
    /// </summary>
    /// <returns>The schedule as changed; null when it is gone or has changed since.</returns>
    public Task<StoredSchedule?> SetSkipDatesAsync(Guid id, int version, SkipDateSet dates, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, OutboxOperation.Upsert, "skip_dates = $3", "version = $4", cancellationToken, dates.Dates.ToArray(), version);

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await DeleteAsync(id, int.MaxValue, cancellationToken)).Deleted;

    /// <summary>
    /// Deletes a live schedule (softly: its rows stay for the history and the quotas) with its outbox
    /// row, unless its user has made <paramref name="changesPerHour"/> creates and deletes in the last hour.
    /// </summary>
    public async Task<ScheduleDeletion> DeleteAsync(Guid id, int changesPerHour, CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One implicit transaction under the user's lock, as for creates.
        const string owner = "(SELECT user_id FROM schedules WHERE id = $1)";
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                SqlCommands.BatchSql(UserQuotas.Lock(owner), id),
                SqlCommands.BatchSql($"""
                    WITH refusal AS (SELECT ({UserQuotas.ChangesFull(owner, "$3", "$4")}) AS quota_full),
                    changed AS (
                        UPDATE schedules SET deleted_at = $2, {Changed}
                        FROM refusal WHERE id = $1 AND deleted_at IS NULL AND quota_full IS NULL
                        RETURNING id, version),
                    {ScheduleOutbox.AppendFrom("changed", OutboxOperation.Delete, "$2")}
                    SELECT EXISTS (SELECT 1 FROM changed), quota_full FROM refusal
                    """, id, now, now - UserQuotas.Window, changesPerHour),
            },
        };
        bool deleted;
        Instant? quotaFull;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (deleted, quotaFull) = (reader.GetBoolean(0), reader.GetNullableValue<Instant>(1));
        }

        if (deleted)
        {
            wakeups?.Raise();
        }

        return new(deleted, quotaFull is { } full ? UserQuotas.RetryAfter(full, now) : null);
    }

    /// <summary>Applies <paramref name="assignments"/> to a live schedule in the state <paramref name="allowedWhen"/> describes, with its outbox row.</summary>
    /// <returns>The schedule as changed; null when no such schedule is in that state.</returns>
    private async Task<StoredSchedule?> ChangeAsync(
        Guid id, OutboxOperation operation, string assignments, string allowedWhen, CancellationToken cancellationToken, params object?[] arguments)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var update = connection.Sql($"""
            WITH changed AS (
                UPDATE schedules SET {assignments}, {Changed}
                WHERE id = $1 AND deleted_at IS NULL AND ({allowedWhen})
                RETURNING {Columns}),
            {ScheduleOutbox.AppendFrom("changed", operation, "$2")}
            SELECT {Columns} FROM changed
            """, [id, clock.GetCurrentInstant(), .. arguments]);
        var changed = await update.ReadFirstAsync(Read, cancellationToken);
        if (changed is not null)
        {
            wakeups?.Raise();
        }

        return changed;
    }

    private static NpgsqlParameter DeliverTo(ScheduleIntent intent) =>
        SqlCommands.Jsonb(intent.DeliverTo is null ? null : StoredTargets.Write(intent.DeliverTo));

    /// <summary>A schedule row, its columns found by name (<see cref="Columns"/>, whatever else the query selects).</summary>
    internal static StoredSchedule Read(NpgsqlDataReader reader) => Read(reader, new ScheduleOrdinals(reader));

    /// <summary>A schedule row of a result whose columns <paramref name="at"/> has found.</summary>
    internal static StoredSchedule Read(NpgsqlDataReader reader, ScheduleOrdinals at) => new(
        reader.GetGuid(at.Id),
        reader.GetString(at.UserId),
        new ScheduleIntent(
            reader.GetString(at.Title),
            new WeekdaySet((byte)reader.GetInt16(at.DaysOfWeek)),
            reader.GetFieldValue<LocalTime>(at.TimeOfDay),
            reader.GetString(at.TimeZone),
            ChannelModes.FromWire(reader.GetString(at.ChannelMode)) ?? ChannelMode.Specific,
            reader.GetFieldValue<string[]>(at.ChannelIds),
            reader.GetBoolean(at.Recurring),
            reader.GetString(at.Agent),
            reader.GetNullable<string>(at.CustomInstructions),
            reader.GetBoolean(at.SkipIfEmpty),
            new SkipDateSet(reader.GetFieldValue<LocalDate[]>(at.SkipDates)),
            reader.GetNullable<string>(at.DeliverTo) is { } deliverTo ? StoredTargets.Read(deliverTo) : null),
        ScheduleStatusText.Parse(reader.GetString(at.Status)),
        reader.GetNullable<string>(at.PausedBy) is { } pausedBy ? PauseOwnerText.Parse(pausedBy) : null,
        reader.GetNullable<string>(at.PauseReason),
        reader.GetFieldValue<Instant>(at.AnchorAt),
        reader.GetInt32(at.Version),
        reader.GetFieldValue<Instant>(at.CreatedAt),
        reader.GetFieldValue<Instant>(at.UpdatedAt),
        reader.GetNullableValue<Instant>(at.DeletedAt),
        reader.GetNullableValue<Instant>(at.LastRunAt),
        reader.GetInt32(at.RunCount),
        reader.GetNullableValue<Instant>(at.Watermark),
        new ScheduleSync(SyncStateText.Parse(reader.GetString(at.SyncState)), reader.GetNullable<string>(at.SyncError), reader.GetNullableValue<Instant>(at.SyncedAt))
        {
            Spec = reader.GetNullable<string>(at.SpecTzdb) is { } tzdb
                ? new(reader.GetNullableValue<Instant>(at.SpecUntil), tzdb, reader.GetString(at.SpecInputs), reader.GetString(at.SpecHash))
                : null,
            Drift = reader.GetNullableValue<Instant>(at.DriftAt) is { } driftAt
                ? new(driftAt, reader.GetNullableValue<Instant>(at.DriftExpected), reader.GetNullableValue<Instant>(at.DriftListed), reader.GetFieldValue<Instant>(at.DriftSeenAt))
                : null,
        },
        new TemporalMirror(
            reader.GetNullableValue<Instant>(at.OperatorPausedAt),
            reader.GetNullable<string>(at.OperatorPauseReason),
            reader.GetNullableValue<Instant>(at.NextActionAt),
            reader.GetNullableValue<Instant>(at.LastActionAt)));
}
