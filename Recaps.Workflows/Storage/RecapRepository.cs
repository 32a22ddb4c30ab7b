using System.Text.Json;
using NodaTime;
using Npgsql;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Storage;

/// <summary>A stored recap (DESIGN §5 shape).</summary>
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
    IReadOnlyList<ChannelRecap> Channels);

public sealed class RecapRepository(NpgsqlDataSource dataSource)
{
    private const string ScalarColumns = "id, schedule_id, run_id, user_id, title, status, window_start, window_end, created_at";
    private const string Columns = $"{ScalarColumns}, channels";

    /// <summary>
    /// Stores the recap of a run unless the run has one already; returns the run's recap either way.
    /// A run that is no longer running (failed, or taken over as abandoned) gets none: null.
    /// </summary>
    public async Task<StoredRecap?> StoreOnceAsync(StoredRecap recap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recap);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // When this call stores the recap, the run is linked to it in the same statement (so no
        // transaction is needed), RETURNING gives its columns as stored, and its channels are the
        // ones just written. Only a run that has a recap already reads that one back and links it
        // again, which changes nothing twice.
        StoredRecap? stored = null;
        await using (var insert = connection.Sql($"""
            WITH inserted AS (
                INSERT INTO recaps ({Columns})
                SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
                WHERE EXISTS (SELECT 1 FROM schedule_runs WHERE id = $3 AND status = 'running')
                ON CONFLICT (run_id) DO NOTHING
                RETURNING {ScalarColumns}),
            linked AS (
                UPDATE schedule_runs SET recap_id = inserted.id FROM inserted WHERE schedule_runs.id = inserted.run_id)
            SELECT {ScalarColumns} FROM inserted
            """,
            recap.Id, recap.ScheduleId, recap.RunId, recap.UserId, recap.Title, recap.Status, recap.WindowStart,
            recap.WindowEnd, recap.CreatedAt, SqlCommands.Jsonb(JsonSerializer.Serialize(recap.Channels, RecapsDataConverter.JsonOptions))))
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                stored = Read(reader, recap.Channels);
            }
        }

        if (stored is null && await FindAsync(connection, "run_id = $1", recap.RunId, cancellationToken) is { } earlier)
        {
            stored = earlier;
            await using var link = connection.Sql("UPDATE schedule_runs SET recap_id = $2 WHERE id = $1", recap.RunId, stored.Id);
            await link.ExecuteNonQueryAsync(cancellationToken);
        }

        return stored;
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

    public async Task<StoredRecap?> FindByRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, "run_id = $1", runId, cancellationToken);
    }

    private static async Task<StoredRecap?> FindAsync(NpgsqlConnection connection, string where, object arg, CancellationToken cancellationToken)
    {
        await using var command = connection.Sql($"SELECT {Columns} FROM recaps WHERE {where}", arg);
        return await command.ReadFirstAsync(Read, cancellationToken);
    }

    private static StoredRecap Read(NpgsqlDataReader reader) =>
        Read(reader, JsonSerializer.Deserialize<List<ChannelRecap>>(reader.GetString(9), RecapsDataConverter.JsonOptions) ?? []);

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
        channels);
}
