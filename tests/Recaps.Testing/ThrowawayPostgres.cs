using System.Diagnostics;
using Npgsql;
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

    private readonly string? _folder;
    private readonly NpgsqlConnectionStringBuilder _server;
    private readonly PostgresDurability _durability;
    private int _databases;

    private ThrowawayPostgres(string? folder, NpgsqlConnectionStringBuilder server, PostgresDurability durability)
    {
        _folder = folder;
        _server = server;
        _durability = durability;
    }

    /// <summary>True when this owns a cluster (and so can restart it), false for an external server.</summary>
    public bool OwnsCluster => _folder is not null;

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
            await RemoveOrphansAsync();
            var folder = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            OrphanedCluster.WriteOwner(folder);
            postgres = new ThrowawayPostgres(folder, new NpgsqlConnectionStringBuilder
            {
                Host = folder,
                Username = "postgres",
                Database = "postgres",
                Pooling = true,
                MaxPoolSize = 50,
            }, durability);
            await postgres.InitAsync();
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

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = database }.ConnectionString;

    /// <summary>
    /// Kills the server without a clean shutdown, as a crash would. Committed work survives: at most
    /// fsync is off, and the OS stays up.
    /// </summary>
    public Task StopAsync() => PgCtlAsync("stop", "-m", "immediate");

    public Task StartServerAsync() => PgCtlAsync(
        "start", "-w", "-l", Path.Combine(_folder!, "server.log"),
        "-o", $"-c listen_addresses='' -k {_folder} -c max_connections=300{FastSettings}");

    /// <summary>Durable keeps PostgreSQL's defaults (fsync on, synchronous_commit on, full_page_writes on).</summary>
    private string FastSettings => _durability == PostgresDurability.Fast ? " -c fsync=off -c full_page_writes=off" : "";

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_folder is null)
        {
            // A shared server keeps nothing of this run: its databases all carry this run's prefix.
            for (var i = _databases; i >= 0; i--)
            {
                await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {(i == 0 ? Template : $"{_prefix}_{i}")} WITH (FORCE)");
            }

            return;
        }

        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task InitAsync()
    {
        ChownToPostgres(_folder!);
        string[] noSync = _durability == PostgresDurability.Fast ? ["--no-sync"] : [];
        await RunAsync("initdb", ["-D", DataFolder, "-U", "postgres", "--auth=trust", "-E", "UTF8", .. noSync]);
        await StartServerAsync();
    }

    private string DataFolder => Path.Combine(_folder!, "data");

    /// <summary>Migrated once per run; every test database is a copy. Named per run so runs sharing a server never collide.</summary>
    private string Template => $"{_prefix}_template";

    private async Task CreateTemplateAsync()
    {
        await ExecuteOnServerAsync($"CREATE DATABASE {Template}");
        await using var dataSource = RecapsDataSource.Create(ConnectionString(Template));
        await MigrationRunner.ApplyAsync(dataSource);
        NpgsqlConnection.ClearAllPools();
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private Task PgCtlAsync(params string[] args) => RunAsync("pg_ctl", ["-D", DataFolder, .. args]);

    /// <summary>
    /// A run that was killed (kill -9, a crashed test host) cannot stop its server or delete its
    /// folder; the next run does, for folders whose owner process is gone. Folders without an owner
    /// file belong to someone else and are left alone.
    /// </summary>
    private static async Task RemoveOrphansAsync()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), $"{FolderPrefix}*"))
        {
            if (!OrphanedCluster.IsOrphan(folder))
            {
                continue;
            }

            try
            {
                await RunAsync("pg_ctl", "-D", Path.Combine(folder, "data"), "stop", "-m", "immediate");
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

    // PostgreSQL refuses to run as root, so as root the tools run as the postgres user.
    private static bool IsRoot => Environment.UserName == "root";

    private static void ChownToPostgres(string folder)
    {
        if (IsRoot)
        {
            RunAsync(new ProcessStartInfo("chown", ["postgres:", folder])).GetAwaiter().GetResult();
        }
    }

    private static Task RunAsync(string tool, params string[] args) => RunAsync(IsRoot
        ? new ProcessStartInfo("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", tool, .. args])
        : new ProcessStartInfo(tool, args));

    private static async Task RunAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
