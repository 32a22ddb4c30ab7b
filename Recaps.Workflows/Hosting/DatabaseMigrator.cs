using Microsoft.Extensions.Hosting;
using Npgsql;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Hosting;

/// <summary>Applies pending migrations before the host serves anything; safe when several instances start at once.</summary>
internal sealed class DatabaseMigrator(NpgsqlDataSource dataSource) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => MigrationRunner.ApplyAsync(dataSource, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
