using Npgsql;
using Recaps.DevTools;
using Recaps.Workflows.Storage;

namespace Recaps.Testing;

/// <summary>
/// A private PostgreSQL cluster in a fresh temp folder, started from the binaries on PATH, or the
/// server named by <c>RECAPS_TEST_DATABASE</c>. It listens on a unix socket only, so runs never
/// clash over ports. Each test gets its own database, copied from a migrated template.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    public const string ExternalDatabaseVariable = "RECAPS_TEST_DATABASE";
    private readonly string _prefix = $"recaps_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
    private const string FolderPrefix = "recaps-pg-";

    private readonly PostgresCluster? _cluster;
    private readonly NpgsqlConnectionStringBuilder _server;
    private readonly PostgresDurability _durability;
    private int _databases;

    private ThrowawayPostgres(PostgresCluster? cluster, NpgsqlConnectionStringBuilder server, PostgresDurability durability)
    {
        _cluster = cluster;
        _server = server;
        _durability = durability;
    }

    /// <summary>True when this owns a cluster (and so can restart it), false for an external server.</summary>
    public bool OwnsCluster => _cluster is not null;

    /// <param name="durability">
    /// Tests keep the fast default; benchmarks that write ask for <see cref="PostgresDurability.Durable"/>
    /// so commits wait for the disk as they would in production.
    /// </param>
    public static async Task<ThrowawayPostgres> StartAsync(PostgresDurability durability = PostgresDurability.Fast)
    {
        ThrowawayPostgres postgres;
        if (Environment.GetEnvironmentVariable(ExternalDatabaseVariable) is { Length: > 0 } external)
        {
            postgres = new ThrowawayPostgres(null, new NpgsqlConnectionStringBuilder(external), durability);
        }
        else
        {
            var binaries = PostgresCluster.FindBinaries()
                ?? throw new InvalidOperationException($"The PostgreSQL server binaries (initdb, pg_ctl) are not on PATH: install PostgreSQL, or set {ExternalDatabaseVariable}.");
            await RemoveOrphansAsync(binaries);
            var folder = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            OrphanedCluster.WriteOwner(folder);
            var cluster = new PostgresCluster(folder, binaries);
            await cluster.InitAsync(sync: durability == PostgresDurability.Durable);
            var server = cluster.Server;
            server.MaxPoolSize = 50;
            // Tests open side connections from a data source's ConnectionString, which drops the
            // cluster's password unless told to keep it.
            server.PersistSecurityInfo = true;
            postgres = new ThrowawayPostgres(cluster, server, durability);
            await postgres.StartServerAsync();
        }

        await postgres.CreateTemplateAsync();
        return postgres;
    }

    /// <summary>A new, migrated, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"{_prefix}_{Interlocked.Increment(ref _databases)}";
        await ExecuteOnServerAsync($"CREATE DATABASE {name} TEMPLATE {Template}");
        return ConnectionString(name);
    }

    /// <summary>A new database named <paramref name="name"/> with no schema, as a deployment's would start; returns its connection string.</summary>
    public async Task<string> CreateEmptyDatabaseAsync(string name)
    {
        await ExecuteOnServerAsync($"CREATE DATABASE {name}");
        return ConnectionString(name);
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = database }.ConnectionString;

    /// <summary>
    /// Stops the server: by default without a clean shutdown, as a crash would (committed work
    /// survives: at most fsync is off, and the OS stays up); <c>fast</c> as a restart for maintenance.
    /// </summary>
    public Task StopAsync(string mode = "immediate") => Cluster.StopAsync(mode);

    public Task StartServerAsync() => Cluster.StartAsync($"-c max_connections=300{FastSettings}");

    private PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("An external server cannot be stopped or started.");

    /// <summary>Durable keeps PostgreSQL's defaults (fsync on, synchronous_commit on, full_page_writes on).</summary>
    private string FastSettings => _durability == PostgresDurability.Fast ? " -c fsync=off -c full_page_writes=off" : "";

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is null)
        {
            // A shared server keeps nothing of this run: its databases all carry this run's prefix.
            for (var i = _databases; i >= 0; i--)
            {
                await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {(i == 0 ? Template : $"{_prefix}_{i}")} WITH (FORCE)");
            }

            return;
        }

        await StopAsync();
        Directory.Delete(_cluster.Folder, recursive: true);
    }

    /// <summary>Migrated once per run; every test database is a copy. Named per run so runs sharing a server never collide.</summary>
    private string Template => $"{_prefix}_template";

    private async Task CreateTemplateAsync()
    {
        await ExecuteOnServerAsync($"CREATE DATABASE {Template}");
        await using var dataSource = RecapsDataSource.Create(ConnectionString(Template));
        await MigrationRunner.ApplyAsync(dataSource);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Unpooled: a pooled session would not survive a test restarting the server, and these statements are rare.</summary>
    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// A run that was killed (kill -9, a crashed test host) cannot stop its server or delete its
    /// folder; the next run does, for folders whose owner process is gone. Folders without an owner
    /// file belong to someone else and are left alone.
    /// </summary>
    private static async Task RemoveOrphansAsync(string binaries)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), $"{FolderPrefix}*"))
        {
            if (!OrphanedCluster.IsOrphan(folder))
            {
                continue;
            }

            try
            {
                await new PostgresCluster(folder, binaries).StopAsync("immediate");
            }
            catch (InvalidOperationException)
            {
                // Not running any more: only the folder is left.
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Another run is removing it at the same moment, or it is not ours to remove.
            }
        }
    }
}
