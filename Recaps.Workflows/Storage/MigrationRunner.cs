using System.Reflection;
using Npgsql;

namespace Recaps.Workflows.Storage;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts in order, each once. All of it runs
/// in one transaction under an advisory lock, so instances starting together apply nothing twice
/// and a failed script leaves the schema as it was.
/// </summary>
public static class MigrationRunner
{
    // An arbitrary constant that identifies "Recaps schema migration" among advisory locks.
    private const long LockKey = 0x5245_4341_5053;

    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <returns>The versions applied by this call.</returns>
    public static async Task<IReadOnlyList<int>> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Nothing pending: no DDL at all, so a role that may only read and write rows starts once the owner has migrated.
        if (await IsCurrentAsync(connection, cancellationToken))
        {
            return [];
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        await Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);

        HashSet<int> applied;
        await using (var command = connection.Sql("SELECT version FROM schema_migrations"))
        {
            applied = [.. await command.ReadAllAsync(reader => reader.GetInt32(0), cancellationToken)];
        }

        var newlyApplied = new List<int>();
        foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
        {
            await Execute(connection, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection)
            {
                Parameters = { new() { Value = migration.Version }, new() { Value = migration.Name } },
            };
            await record.ExecuteNonQueryAsync(cancellationToken);
            newlyApplied.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken);
        return newlyApplied;
    }

    private static async Task<bool> IsCurrentAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = connection.Sql("SELECT to_regclass('schema_migrations') IS NOT NULL"))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return false;
            }
        }

        await using var versions = connection.Sql("SELECT version FROM schema_migrations");
        var applied = await versions.ReadAllAsync(reader => reader.GetInt32(0), cancellationToken);
        return All.All(migration => applied.Contains(migration.Version));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        const string prefix = "Recaps.Workflows.Storage.Migrations.";
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Migration.From(name[prefix.Length..^4], Read(assembly, name)))
            .OrderBy(m => m.Version)];
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>Reads the version from a file name such as <c>0001_initial</c>.</summary>
    public static Migration From(string fileName, string sql)
    {
        var separator = fileName.IndexOf('_', StringComparison.Ordinal);
        return new(int.Parse(fileName[..separator], System.Globalization.CultureInfo.InvariantCulture), fileName[(separator + 1)..], sql);
    }
}
