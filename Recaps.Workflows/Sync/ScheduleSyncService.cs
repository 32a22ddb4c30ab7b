using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Recaps.Workflows.Telemetry;

namespace Recaps.Workflows.Sync;

/// <summary>
/// Applies the outbox to Temporal: woken by the outbox trigger (or its poll), it claims ready changes
/// in batches and applies each through <see cref="ScheduleChangeApplier"/>. Any number of instances
/// may run: a change is claimed by one at a time, and a schedule's changes go in order.
/// </summary>
public sealed class ScheduleSyncService(
    NpgsqlDataSource dataSource,
    ScheduleChangeApplier applier,
    OutboxListener listener,
    IOptions<SyncOptions> options,
    IClock clock,
    RecapsMetrics metrics,
    ILogger<ScheduleSyncService> logger) : BackgroundService
{
    /// <summary>Applies every change that is ready now; a failed one waits for its retry time.</summary>
    /// <returns>How many changes were tried.</returns>
    public async Task<int> ProcessPendingOnceAsync(CancellationToken cancellationToken = default)
    {
        var tried = 0;
        while (await ProcessBatchAsync(cancellationToken) is > 0 and var count)
        {
            tried += count;
        }

        await using var pending = dataSource.CreateCommand("SELECT count(*) FROM schedule_outbox WHERE processed_at IS NULL");
        metrics.SyncPending((long)(await pending.ExecuteScalarAsync(cancellationToken))!);
        return tried;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using (listener)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await listener.ListenAsync(stoppingToken);
                    await ProcessPendingOnceAsync(stoppingToken);
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    // PostgreSQL down, say: the changes stay in the outbox for the next pass.
                    logger.SyncPassFailed(error);
                }

                try
                {
                    await listener.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task<int> ProcessBatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changes = await OutboxStore.ClaimAsync(connection, settings.BatchSize, clock.GetCurrentInstant(), cancellationToken);
        if (changes.Count == 0)
        {
            return 0;
        }

        // One change per schedule per batch, so applying them side by side keeps each schedule's order.
        var outcomes = new ChangeOutcome[changes.Count];
        await Parallel.ForAsync(
            0, changes.Count, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancellationToken },
            async (i, token) => outcomes[i] = await ApplyAsync(changes[i], settings, token));

        var now = clock.GetCurrentInstant();
        var missedNow = 0;
        foreach (var outcome in outcomes)
        {
            if (outcome.Applied?.MissedOneTime is { } missed)
            {
                logger.OneTimeMissed(outcome.Change.Schedule.Id, missed.At);
                missedNow += await OutboxStore.CompleteMissedOneTimeAsync(
                    connection, new(outcome.Change.Schedule.Id, missed, MissedRuns.CatchupWindowReason), now, cancellationToken);
            }
        }

        await OutboxStore.RecordAsync(connection, outcomes, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.SyncPass(applied: outcomes.Count(o => o.Error is null), errors: outcomes.Count(o => o.Error is not null));
        metrics.OccurrencesMissed(missedNow);
        return changes.Count;
    }

    private async Task<ChangeOutcome> ApplyAsync(PendingChange change, SyncOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            return new(change, await applier.ApplyAsync(change, cancellationToken), null, false, default);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            var attempt = change.Attempts + 1;
            var retryAt = clock.GetCurrentInstant() + SyncBackoff.Delay(attempt, settings, Random.Shared.NextDouble());
            logger.ChangeFailed(error, change.Id, change.Operation, change.Schedule.Id, attempt, retryAt);
            return new(change, null, SyncErrors.Describe(error), SyncBackoff.IsRejection(error), retryAt);
        }
    }
}
