using Npgsql;

namespace Recaps.Benchmarks.Api;

/// <summary>
/// What the database alone does on the same connections: a single-row insert (one commit, as a
/// create is) and a single-row select by key, with no HTTP, auth, validation or JSON around them.
/// </summary>
internal sealed class RawBaseline(NpgsqlDataSource dataSource)
{
    public async Task CreateTableAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "CREATE TABLE load_baseline (id uuid PRIMARY KEY, user_id text NOT NULL, title text NOT NULL, created_at timestamptz NOT NULL)");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> InsertAsync(int sequence, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO load_baseline VALUES ($1, $2, $3, now())");
        command.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new() { Value = $"user-{sequence}" });
        command.Parameters.Add(new() { Value = "Standup digest" });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> SelectAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, user_id, title, created_at FROM load_baseline WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken);
    }

    public async Task<Guid[]> IdsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM load_baseline");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return [.. ids];
    }
}
