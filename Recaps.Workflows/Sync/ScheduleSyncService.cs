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
    /// <summary>
    /// Applies every change that is ready now, up to <see cref="SyncOptions.Concurrency"/> Temporal
    /// calls at once: the next batch is claimed while the last calls of the one before finish, so a
    /// slow call holds one slot, not the pass. A failed change waits for its retry time; when Temporal
    /// cannot be reached, the pass ends with the batches it has open instead of trying the rest.
    /// </summary>
    /// <returns>How many changes were tried.</returns>
    public async Task<int> ProcessPendingOnceAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(settings.Concurrency);
        var tried = 0;
        // At most two batches open: the one finishing and the one starting.
        Task<BatchResult>? open = null;
        try
        {
            while (true)
            {
                var batch = await ClaimAsync(settings, cancellationToken);
                var applying = batch is null ? null : ApplyAsync(batch, slots, settings, cancellationToken);
                if (batch is not null)
                {
                    await Task.WhenAny(batch.Started, applying!);
                }
                else if (open is null)
                {
                    break;
                }

                // Nothing more ready while a batch is open: its schedules' next changes are once it commits.
                var earlier = open;
                open = applying;
                if (earlier is not null)
                {
                    var done = await earlier;
                    tried += done.Tried;
                    if (done.Unreachable)
                    {
                        break;
                    }
                }
            }

            tried += open is null ? 0 : (await open).Tried;
        }
        catch
        {
            // Nothing of the pass outlives it: the open batch ends (and releases its rows) first.
            await Task.WhenAny(open ?? Task.CompletedTask);
            throw;
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

    /// <returns>The ready changes (at most one per schedule) in a transaction of their own; null when there are none.</returns>
    private async Task<SyncBatch?> ClaimAsync(SyncOptions settings, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var changes = await OutboxStore.ClaimAsync(connection, settings.BatchSize, clock.GetCurrentInstant(), cancellationToken);
            if (changes.Count > 0)
            {
                return new SyncBatch(connection, transaction, changes);
            }

            await transaction.DisposeAsync();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>
    /// Applies a batch's changes side by side (one per schedule, so they never race), each in a call
    /// slot, then records how they ended and commits.
    /// </summary>
    private async Task<BatchResult> ApplyAsync(SyncBatch batch, SemaphoreSlim slots, SyncOptions settings, CancellationToken cancellationToken)
    {
        await using (batch)
        {
            var outcomes = await Task.WhenAll(batch.Changes.Select(async change =>
            {
                using var slot = await batch.TakeSlotAsync(slots, cancellationToken);
                return await ApplyAsync(change, settings, cancellationToken);
            }));

            var now = clock.GetCurrentInstant();
            var missedNow = 0;
            foreach (var outcome in outcomes)
            {
                if (outcome.Applied?.MissedOneTime is { } missed)
                {
                    logger.OneTimeMissed(outcome.Change.Schedule.Id, missed.At);
                    missedNow += await OutboxStore.CompleteMissedOneTimeAsync(
                        batch.Connection, new(outcome.Change.Schedule.Id, missed, MissedRuns.CatchupWindowReason), now, cancellationToken);
                }
            }

            await OutboxStore.RecordAsync(batch.Connection, outcomes, now, cancellationToken);
            await batch.Transaction.CommitAsync(cancellationToken);
            metrics.SyncPass(applied: outcomes.Count(o => o.Error is null), errors: outcomes.Count(o => o.Error is not null));
            metrics.OccurrencesMissed(missedNow);
            return new(outcomes.Length, Unreachable: outcomes.Any(o => o.Unreachable));
        }
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
            return new(change, null, SyncErrors.Describe(error), SyncBackoff.IsRejection(error), retryAt, SyncBackoff.IsUnreachable(error));
        }
    }

    /// <summary>How many changes a batch tried, and whether one found Temporal unreachable or overloaded.</summary>
    private sealed record BatchResult(int Tried, bool Unreachable);
}
