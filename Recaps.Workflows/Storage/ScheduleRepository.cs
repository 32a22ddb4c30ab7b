using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Storage;

/// <summary>Schedules and their outbox: every change of intent is written with its outbox row in one transaction.</summary>
public sealed class ScheduleRepository(NpgsqlDataSource dataSource, IClock clock)
{
    internal const string Columns = """
        id, user_id, title, days_of_week, time_of_day, time_zone, channel_mode, channel_ids, recurring, agent,
        custom_instructions, status, paused_by, pause_reason, anchor_at, version, created_at, updated_at,
        deleted_at, last_run_at, run_count, watermark, sync_state, sync_error, synced_at,
        operator_paused_at, operator_pause_reason, next_action_at, last_action_at
        """;

    public async Task<StoredSchedule> CreateAsync(string userId, ScheduleIntent intent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var now = clock.GetCurrentInstant();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        StoredSchedule schedule;
        await using (var insert = connection.Sql($"""
            INSERT INTO schedules (id, user_id, title, days_of_week, time_of_day, time_zone, channel_mode, channel_ids,
                                   recurring, agent, custom_instructions, anchor_at, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12)
            RETURNING {Columns}
            """,
            Guid.CreateVersion7(), userId, intent.Title, (short)intent.DaysOfWeek.Bits, intent.TimeOfDay, intent.TimeZoneId,
            intent.ChannelMode.ToWire(), intent.ChannelIds.ToArray(), intent.Recurring, intent.Agent, intent.CustomInstructions, now))
        {
            schedule = (await insert.ReadFirstAsync(Read, cancellationToken))!;
        }

        await ScheduleOutbox.AppendAsync(connection, schedule.Id, OutboxOperations.Upsert, schedule.Version, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return schedule;
    }

    /// <summary>The schedule, deleted or not; null when it never existed.</summary>
    public async Task<StoredSchedule?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql($"SELECT {Columns} FROM schedules WHERE id = $1", id);
        return await command.ReadFirstAsync(Read, cancellationToken);
    }

    public Task<bool> PauseAsync(Guid id, string? reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, OutboxOperations.Pause, "status = 'paused', paused_by = 'user', pause_reason = $3", "status <> 'completed'", cancellationToken, reason);

    public Task<bool> ResumeAsync(Guid id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, OutboxOperations.Resume, "status = 'active', paused_by = NULL, pause_reason = NULL", "paused_by = 'user'", cancellationToken);

    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, OutboxOperations.Delete, "deleted_at = $2", "TRUE", cancellationToken);

    /// <summary>Applies <paramref name="assignments"/> to a live schedule in the state <paramref name="allowedWhen"/> describes, with its outbox row.</summary>
    /// <returns>False when no such schedule is in that state.</returns>
    private async Task<bool> ChangeAsync(
        Guid id, string operation, string assignments, string allowedWhen, CancellationToken cancellationToken, params string?[] arguments)
    {
        var now = clock.GetCurrentInstant();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var update = connection.Sql($"""
            UPDATE schedules SET {assignments}, version = version + 1, updated_at = $2, sync_state = 'pending'
            WHERE id = $1 AND deleted_at IS NULL AND ({allowedWhen})
            RETURNING version
            """, [id, now, .. arguments.Select(a => SqlCommands.Text(a))]);
        if (await update.ExecuteScalarAsync(cancellationToken) is not int version)
        {
            return false;
        }

        await ScheduleOutbox.AppendAsync(connection, id, operation, version, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    internal static StoredSchedule Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        new ScheduleIntent(
            reader.GetString(2),
            new WeekdaySet((byte)reader.GetInt16(3)),
            reader.GetFieldValue<LocalTime>(4),
            reader.GetString(5),
            ChannelModes.FromWire(reader.GetString(6)) ?? ChannelMode.Specific,
            reader.GetFieldValue<string[]>(7),
            reader.GetBoolean(8),
            reader.GetString(9),
            reader.GetNullable<string>(10)),
        reader.GetString(11),
        reader.GetNullable<string>(12),
        reader.GetNullable<string>(13),
        reader.GetFieldValue<Instant>(14),
        reader.GetInt32(15),
        reader.GetFieldValue<Instant>(16),
        reader.GetFieldValue<Instant>(17),
        reader.GetNullableValue<Instant>(18),
        reader.GetNullableValue<Instant>(19),
        reader.GetInt32(20),
        reader.GetNullableValue<Instant>(21),
        new ScheduleSync(reader.GetString(22), reader.GetNullable<string>(23), reader.GetNullableValue<Instant>(24)),
        new TemporalMirror(
            reader.GetNullableValue<Instant>(25), reader.GetNullable<string>(26), reader.GetNullableValue<Instant>(27), reader.GetNullableValue<Instant>(28)));
}
