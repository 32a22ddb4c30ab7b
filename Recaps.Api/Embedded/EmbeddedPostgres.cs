using System.ComponentModel;
using Npgsql;
using Recaps.DevTools;
using Recaps.ServiceDefaults;

namespace Recaps.Api.Embedded;

/// <summary>
/// The private PostgreSQL cluster of embedded mode: created in the data folder on first use from
/// the server binaries on this machine, started, and stopped when the process stops. The data stays.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public const string Database = "recaps";

    private const string Fixes = """
        Fix one of:
          - point Recaps at a database: ConnectionStrings__Recaps="Host=localhost;Username=…;Password=…;Database=recaps"
          - install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql), then start again
          - start the compose database: docker compose -f docker-compose.temporal.yml up -d recaps-db
            and set ConnectionStrings__Recaps="Host=localhost;Username=recaps_app;Password=$RECAPS_DB_PASSWORD;Database=recaps"
            and ConnectionStrings__RecapsMigrations="Host=localhost;Username=recaps_owner;Password=$RECAPS_DB_OWNER_PASSWORD;Database=recaps"
        """;

    private readonly PostgresCluster _cluster;

    private EmbeddedPostgres(PostgresCluster cluster) => _cluster = cluster;

    public string Folder => _cluster.Folder;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_cluster.Server.ConnectionString) { Database = Database }.ConnectionString;

    /// <param name="folder">The cluster's folder; created on first use.</param>
    /// <param name="binaries">The folder of <c>initdb</c> and <c>pg_ctl</c> (<see cref="PostgresCluster.FindBinaries()"/>), null when there are none.</param>
    /// <param name="cancellationToken">Stops waiting for the server.</param>
    public static async Task<EmbeddedPostgres> StartAsync(string folder, string? binaries, CancellationToken cancellationToken = default)
    {
        if (binaries is null)
        {
            throw new DependencyUnavailableException(
                $"PostgreSQL: ConnectionStrings:Recaps is not set, and no PostgreSQL server binaries (initdb, pg_ctl) are on PATH or in /usr/lib/postgresql/*/bin.\n{Fixes}");
        }

        try
        {
            var cluster = new PostgresCluster(folder, binaries);
            if (!cluster.IsInitialized)
            {
                await cluster.InitAsync(cancellationToken: cancellationToken);
            }

            // A run that was killed leaves its server running: use it rather than fail on the lock it holds.
            if (!await cluster.IsRunningAsync(cancellationToken))
            {
                await cluster.StartAsync(cancellationToken: cancellationToken);
            }

            await cluster.SecureAsync(cancellationToken);

            await cluster.CreateDatabaseIfMissingAsync(Database, cancellationToken);
            return new EmbeddedPostgres(cluster);
        }
        catch (Exception error) when (error is InvalidOperationException or NpgsqlException or IOException or UnauthorizedAccessException or Win32Exception)
        {
            throw new DependencyUnavailableException(
                $"PostgreSQL: the private cluster in {folder} could not start: {error.Message}\n"
                + $"  (its server log: {Path.Combine(folder, "server.log")}; as root the cluster runs as the 'postgres' user, who must be able to reach the folder)\n"
                + $"{Fixes}\n  - or set Recaps__Embedded__DataFolder to another folder",
                error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _cluster.StopAsync();
    }
}
