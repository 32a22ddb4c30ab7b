using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Recaps.Workflows.Storage;

namespace Recaps.ServiceDefaults;

/// <summary>
/// Applies pending migrations before the host serves anything; safe when several instances start at
/// once. With <c>ConnectionStrings:RecapsMigrations</c> (the schema owner) they run as that role, so
/// the role the app runs as (<c>ConnectionStrings:Recaps</c>) needs no right to change the schema.
/// </summary>
public sealed class DatabaseMigrator(NpgsqlDataSource dataSource, IConfiguration configuration) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => ApplyAsync(dataSource, configuration, cancellationToken);

    /// <returns>The versions applied by this call.</returns>
    public static async Task<IReadOnlyList<int>> ApplyAsync(NpgsqlDataSource dataSource, IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.GetConnectionString(RecapsHostingExtensions.MigrationsConnectionStringName) is not { Length: > 0 } owner)
        {
            return await MigrationRunner.ApplyAsync(dataSource, cancellationToken);
        }

        await using var ownerSource = RecapsDataSource.Create(owner);
        return await MigrationRunner.ApplyAsync(ownerSource, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
