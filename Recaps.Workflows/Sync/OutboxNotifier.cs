using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Sync;

/// <summary>
/// Sends the sync's wake-up (<c>NOTIFY</c> on <see cref="OutboxListener.Channel"/>) after outbox rows
/// were committed in this process: one notification for all raises that came in meanwhile, from a
/// transaction that does not wait for the disk, since a lost wake-up only delays the sync to its
/// next poll.
/// </summary>
public sealed partial class OutboxNotifier(OutboxWakeups wakeups, NpgsqlDataSource dataSource, ILogger<OutboxNotifier> logger) : BackgroundService
{
    /// <summary>
    /// At most one notification per this long: under a stream of changes one per change would cost
    /// PostgreSQL a transaction each, and the sync, once woken, takes everything ready anyway.
    /// </summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await wakeups.NextAsync(stoppingToken);
                try
                {
                    await NotifyAsync(stoppingToken);
                }
                catch (Exception error) when (error is NpgsqlException or TimeoutException)
                {
                    NotifyFailed(logger, error);
                }

                await Task.Delay(MinimumInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping. The host reports a cancelled service as failed when a later service aborted the start.
        }
    }

    private async Task NotifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var notify = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SET LOCAL synchronous_commit = off"),
                new NpgsqlBatchCommand($"NOTIFY {OutboxListener.Channel}"),
            },
        })
        {
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake the schedule sync; it applies the change at its next poll")]
    private static partial void NotifyFailed(ILogger logger, Exception error);
}
