using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Telemetry;
using Recaps.Workflows.Upkeep;

namespace Recaps.Workflows.Retention;

/// <summary>
/// Purges, once per <see cref="RetentionOptions.Interval"/>, what <see cref="PurgeSteps"/> finds past its
/// retention, in bounded batches: each statement deletes at most <see cref="RetentionOptions.BatchSize"/>
/// rows in a transaction of its own, and a table is left after <see cref="RetentionOptions.MaxBatchesPerPass"/>
/// until the next pass. Any number of workers may run it at once: a statement skips the rows another
/// holds and deleting is idempotent, so concurrent passes share the work and never purge more.
/// </summary>
public sealed class RetentionService(
    NpgsqlDataSource dataSource,
    IOptions<RetentionOptions> options,
    IClock clock,
    RecapsMetrics metrics,
    ILogger<RetentionService> logger) : BackgroundService
{
    /// <returns>The rows purged per table (tables with none left out).</returns>
    public async Task<IReadOnlyDictionary<string, long>> PurgeOnceAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = clock.GetCurrentInstant();
        var purged = new Dictionary<string, long>(StringComparer.Ordinal);
        var capped = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var step in PurgeSteps.All)
        {
            var cutoff = now - Duration.FromTimeSpan(step.Retention(settings));
            var (count, batches, deleted) = (0L, 0, settings.BatchSize);
            while (deleted == settings.BatchSize && batches < settings.MaxBatchesPerPass)
            {
                await using var command = connection.Sql(step.Sql, cutoff, settings.BatchSize);
                deleted = await command.ExecuteNonQueryAsync(cancellationToken);
                count += deleted;
                batches++;
            }

            if (count > 0)
            {
                // Counted as it goes, so a pass that fails later still counts what it purged.
                metrics.Purged(step.Table, count);
                purged[step.Table] = purged.GetValueOrDefault(step.Table) + count;
            }

            if (deleted == settings.BatchSize)
            {
                capped.Add(step.Table);
            }
        }

        foreach (var (table, count) in purged)
        {
            var more = capped.Contains(table);
            logger.Purged(count, table, more);
        }

        return purged;
    }

    // PostgreSQL down, say: nothing is lost by purging an interval later.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicPasses.RunAsync(options.Value.Interval, PurgeOnceAsync, logger.PurgePassFailed, stoppingToken);
}
