using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Hosting;

/// <summary>
/// Applies pending migrations before the host serves anything; safe when several instances start at
/// once. With <c>ConnectionStrings:RecapsMigrations</c> (the schema owner) they run as that role, so
/// the role the app runs as (<c>ConnectionStrings:Recaps</c>) needs no right to change the schema.
/// </summary>
internal sealed class DatabaseMigrator(NpgsqlDataSource dataSource, IConfiguration configuration) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetConnectionString(RecapsHostingExtensions.MigrationsConnectionStringName) is not { Length: > 0 } owner)
        {
            await MigrationRunner.ApplyAsync(dataSource, cancellationToken);
            return;
        }

        await using var ownerSource = RecapsDataSource.Create(owner);
        await MigrationRunner.ApplyAsync(ownerSource, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
