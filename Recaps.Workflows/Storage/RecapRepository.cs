using System.Text.Json;
using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Storage;

/// <summary>
/// A stored recap, in the shape the API returns. <paramref name="Agent"/> is the agent asked for; with a
/// <paramref name="FallbackReason"/> its content is the extractive recap instead. <paramref name="Usage"/>
/// is null for <c>extractive</c>. A regenerated recap is a further <paramref name="Version"/> of its run's.
/// </summary>
public sealed record StoredRecap(
    Guid Id,
    Guid ScheduleId,
    Guid RunId,
    string UserId,
    string Title,
    string Status,
    Instant WindowStart,
    Instant WindowEnd,
    Instant CreatedAt,
    IReadOnlyList<ChannelRecap> Channels,
    string Agent = ExtractiveRecapGenerator.Name,
    string? FallbackReason = null,
    RecapUsage? Usage = null,
    int Version = 1);

/// <summary>
/// What storing a run's recap came to: the run's recap (this one, or the one stored first), or none
/// because the run is no longer running or (<paramref name="ScheduleDeleted"/>) its schedule was deleted.
/// </summary>
public sealed record RecapStoreOutcome(StoredRecap? Recap, bool ScheduleDeleted);

public sealed class RecapRepository(NpgsqlDataSource dataSource)
{
    private const string ScalarColumns = "id, schedule_id, run_id, user_id, title, status, window_start, window_end, created_at, agent, fallback_reason, usage, version";
    private const string Columns = $"{ScalarColumns}, channels";
    private const string Values = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14";

    /// <summary>
    /// Stores the recap of a run unless the run has one already; returns the run's recap either way.
    /// A run that is no longer running (failed, or taken over as abandoned) gets none; a run whose
    /// schedule was deleted meanwhile gets none and is recorded skipped.
    /// </summary>
    public async Task<RecapStoreOutcome> StoreOnceAsync(StoredRecap recap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recap);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The schedule's row, then the run's, in the order a claim takes them: a claim that takes the
        // run over as abandoned, a delete of the schedule and a failure recorded for the run each come
        // wholly before or after this store, and every read below sees them (each statement of a
        // batch reads what was committed when it starts, here once the locks are held).
        bool deleted;
        RunStatus? status;
        Guid? recapId;
        await using (var lockRows = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                SqlCommands.BatchSql("SELECT deleted_at IS NOT NULL FROM schedules WHERE id = $1 FOR SHARE", recap.ScheduleId),
                SqlCommands.BatchSql("SELECT status, recap_id FROM schedule_runs WHERE id = $1 FOR NO KEY UPDATE", recap.RunId),
            },
        })
        await using (var reader = await lockRows.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            deleted = reader.GetBoolean(0);
            await reader.NextResultAsync(cancellationToken);
            (status, recapId) = await reader.ReadAsync(cancellationToken) ? ((RunStatus?)RunStatusText.Parse(reader.GetString(0)), reader.GetNullableValue<Guid>(1)) : (null, null);
        }

        if (recapId is not null)
        {
            return new(await FindAsync(connection, FirstVersion, recap.RunId, cancellationToken), ScheduleDeleted: false);
        }

        if (status != RunStatus.Running)
        {
            return new(null, ScheduleDeleted: false);
        }

        if (deleted)
        {
            await RunRepository.SkipDeletedOnAsync(connection, recap.RunId, recap.CreatedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new(null, ScheduleDeleted: true);
        }

        // The run is linked to its recap in the same statement; RETURNING gives its columns as stored.
        StoredRecap stored;
        await using (var insert = connection.Sql($"""
            WITH inserted AS (
                INSERT INTO recaps ({Columns}) VALUES ({Values})
                RETURNING {ScalarColumns}),
            linked AS (
                UPDATE schedule_runs SET recap_id = inserted.id FROM inserted WHERE schedule_runs.id = inserted.run_id)
            SELECT {ScalarColumns} FROM inserted
            """,
            Row(recap)))
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            stored = Read(reader, recap.Channels);
        }

        await transaction.CommitAsync(cancellationToken);
        return new(stored, ScheduleDeleted: false);
    }

    /// <summary>
    /// Stores a further version of a run's recap (a regeneration) unless that version is stored already;
    /// returns the version as stored either way, and whether this call stored it. The run keeps pointing at its first version.
    /// </summary>
    public async Task<(StoredRecap Recap, bool Inserted)> StoreVersionAsync(StoredRecap recap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recap);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        bool inserted;
        await using (var insert = connection.Sql($"INSERT INTO recaps ({Columns}) VALUES ({Values}) ON CONFLICT (run_id, version) DO NOTHING", Row(recap)))
        {
            inserted = await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        }

        await using var find = connection.Sql($"SELECT {Columns} FROM recaps WHERE run_id = $1 AND version = $2", recap.RunId, recap.Version);
        return ((await find.ReadFirstAsync(Read, cancellationToken))!, inserted);
    }

    /// <summary>The user's newest recaps, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<StoredRecap>> ListAsync(string userId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql(
            $"SELECT {Columns} FROM recaps WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2", userId, limit);
        return await command.ReadAllAsync(Read, cancellationToken);
    }

    /// <summary>The recap when it belongs to <paramref name="userId"/>; null otherwise, so others' recaps look absent.</summary>
    public async Task<StoredRecap?> FindOwnedAsync(Guid id, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql($"SELECT {Columns} FROM recaps WHERE id = $1 AND user_id = $2", id, userId);
        return await command.ReadFirstAsync(Read, cancellationToken);
    }

    /// <summary>The run's first recap (the one its schedule's run made; regenerations are later versions).</summary>
    public async Task<StoredRecap?> FindByRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, FirstVersion, runId, cancellationToken);
    }

    /// <summary>The recap, whoever owns it; null when there is none (never stored, or purged).</summary>
    public async Task<StoredRecap?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, "id = $1", id, cancellationToken);
    }

    private const string FirstVersion = "run_id = $1 AND version = 1";

    private static object?[] Row(StoredRecap recap) =>
    [
        recap.Id, recap.ScheduleId, recap.RunId, recap.UserId, recap.Title, recap.Status, recap.WindowStart, recap.WindowEnd, recap.CreatedAt,
        recap.Agent, SqlCommands.Text(recap.FallbackReason),
        SqlCommands.Jsonb(recap.Usage is null ? null : JsonSerializer.Serialize(recap.Usage, RecapsDataConverter.JsonOptions)), recap.Version,
        SqlCommands.Jsonb(JsonSerializer.Serialize(recap.Channels, RecapsDataConverter.JsonOptions)),
    ];

    private static async Task<StoredRecap?> FindAsync(NpgsqlConnection connection, string where, object arg, CancellationToken cancellationToken)
    {
        await using var command = connection.Sql($"SELECT {Columns} FROM recaps WHERE {where}", arg);
        return await command.ReadFirstAsync(Read, cancellationToken);
    }

    private static StoredRecap Read(NpgsqlDataReader reader) =>
        Read(reader, JsonSerializer.Deserialize<List<ChannelRecap>>(reader.Get<string>("channels"), RecapsDataConverter.JsonOptions) ?? []);

    private static StoredRecap Read(NpgsqlDataReader reader, IReadOnlyList<ChannelRecap> channels) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetGuid(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetFieldValue<Instant>(6),
        reader.GetFieldValue<Instant>(7),
        reader.GetFieldValue<Instant>(8),
        channels,
        reader.Get<string>("agent"),
        reader.GetNullable<string>("fallback_reason"),
        reader.GetNullable<string>("usage") is { } usage ? JsonSerializer.Deserialize<RecapUsage>(usage, RecapsDataConverter.JsonOptions) : null,
        reader.Get<int>("version"));
}
