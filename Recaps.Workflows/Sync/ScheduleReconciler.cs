using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Telemetry;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Sync;

/// <summary>
/// Compares Temporal with the database once per interval and repairs or surfaces drift: orphans
/// deleted, missing schedules and old specs written again, pauses brought back in line (never an
/// operator's lifted), Temporal's next and latest action mirrored, and occurrences that never ran
/// recorded as missed. It sees only the Temporal schedules with this deployment's owner mark
/// (<see cref="ScheduleOwner"/>): another deployment's, or one from before the marks, is never
/// changed or deleted. One instance reconciles at a time (an advisory lock); repairs are queued in the
/// outbox, so they are applied in order with the user's own changes, and stale reads only queue a no-op.
/// </summary>
public sealed class ScheduleReconciler(
    NpgsqlDataSource dataSource,
    ITemporalScheduleGateway gateway,
    ScheduleOwner owner,
    IOptions<SyncOptions> options,
    IOptions<RecapsOptions> recaps,
    IClock clock,
    RecapsMetrics metrics,
    ILogger<ScheduleReconciler> logger) : BackgroundService
{
    /// <returns>False when another instance holds the reconcile lock.</returns>
    public async Task<bool> ReconcileOnceAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await ReconcilerStore.TryLockAsync(connection, cancellationToken))
        {
            return false;
        }

        // Temporal first, then the database: a schedule created in between is then live, never an orphan.
        var mark = await owner.IdAsync(cancellationToken);
        var temporal = new Dictionary<string, TemporalScheduleState>(StringComparer.Ordinal);
        // Schedules from before owner marks, only read: until adopted, their pause and actions still show.
        var unmarked = new Dictionary<string, TemporalScheduleState>(StringComparer.Ordinal);
        await foreach (var listed in gateway.ListAsync(cancellationToken))
        {
            if (listed.Owner == mark)
            {
                temporal[listed.ScheduleId] = listed;
            }
            else if (listed.Owner is null)
            {
                unmarked[listed.ScheduleId] = listed;
            }
        }

        var live = await ReconcilerStore.LiveSchedulesAsync(connection, cancellationToken);
        var now = clock.GetCurrentInstant();
        await DeleteOrphansAsync(temporal, live, mark, cancellationToken);

        var mirrors = new List<(Guid, TemporalMirror)>();
        var missed = new List<MissedRun>();
        var checkUntil = now - Duration.FromTimeSpan(recaps.Value.Schedules.CatchupWindow + options.Value.MissedGrace);
        foreach (var entry in live)
        {
            var schedule = entry.Schedule;
            var scheduleId = TemporalScheduleSpecTranslator.ScheduleId(schedule.Id);
            var current = temporal.GetValueOrDefault(scheduleId);
            var mirror = Mirror(schedule, current ?? unmarked.GetValueOrDefault(scheduleId), now);
            mirrors.Add((schedule.Id, mirror));
            if (entry.Settled && Repair(entry, current, now) is { } operation)
            {
                await ReconcilerStore.QueueAsync(connection, schedule, operation, now, cancellationToken);
            }

            missed.AddRange(Missed(entry, mirror, checkUntil));
        }

        await ReconcilerStore.MirrorAsync(connection, mirrors, cancellationToken);
        var recorded = await MissedRuns.RecordAsync(connection, missed, now, cancellationToken);
        await ReconcilerStore.CheckpointAsync(connection, [.. live.Select(l => l.Schedule.Id)], checkUntil, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.OccurrencesMissed(recorded);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval);
        do
        {
            try
            {
                await ReconcileOnceAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.ReconcilePassFailed(error);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task DeleteOrphansAsync(
        Dictionary<string, TemporalScheduleState> temporal, List<ReconciledSchedule> live, string mark, CancellationToken cancellationToken)
    {
        var wanted = live.Select(l => TemporalScheduleSpecTranslator.ScheduleId(l.Schedule.Id)).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in temporal.Keys.Where(id => !wanted.Contains(id)))
        {
            // Deleted, completed or unknown: no outbox row can carry it (an unknown id has no schedule row), so directly.
            await gateway.DeleteAsync(orphan, mark, cancellationToken);
            logger.OrphanDeleted(orphan);
        }
    }

    /// <summary>An operator's pause is kept from the first time it was seen; a missing schedule shows nothing.</summary>
    private static TemporalMirror Mirror(StoredSchedule schedule, TemporalScheduleState? current, Instant now) =>
        current is null
            ? TemporalMirror.None
            : new(
                current.PausedByOperator ? schedule.Temporal.OperatorPausedAt ?? now : null,
                current.PausedByOperator ? current.Note : null,
                current.NextActionAt,
                current.LastActionAt);

    /// <summary>
    /// The change that brings Temporal back to a settled schedule's intent, if it drifted. A schedule
    /// whose Temporal schedule is not this deployment's looks missing: its upsert is then refused
    /// (<see cref="ScheduleNotOwnedException"/>), which shows on the schedule until it is adopted.
    /// </summary>
    private string? Repair(ReconciledSchedule entry, TemporalScheduleState? current, Instant now)
    {
        var schedule = entry.Schedule;
        var pausedByUser = schedule.PausedByUser;
        var specStale = schedule.Intent.Recurring && (entry.SpecWrittenAt is not { } written || now - written > Duration.FromTimeSpan(options.Value.SpecRefreshAge));
        switch (current)
        {
            case null:
                logger.Recreating(schedule.Id);
                return OutboxOperations.Upsert;
            case { PausedByOperator: true }:
                // The sync keeps an operator's pause through the rewrite, so only the spec may need it.
                return specStale ? OutboxOperations.Upsert : null;
            case { Paused: false } when pausedByUser:
                return OutboxOperations.Pause;
            case { PausedByUser: true } when !pausedByUser:
                return OutboxOperations.Resume;
            default:
                return specStale ? OutboxOperations.Upsert : null;
        }
    }

    /// <summary>
    /// Occurrences since the last check (or since the schedule's anchor) that are too old to start
    /// now and have no run: the reason is the schedule's pause as it stands, else the catch-up window.
    /// </summary>
    private static IEnumerable<MissedRun> Missed(ReconciledSchedule entry, TemporalMirror mirror, Instant checkUntil)
    {
        var schedule = entry.Schedule;
        var reason = mirror.OperatorPaused
            ? $"paused by operator: {PauseNotes.OperatorReason(mirror.OperatorPauseReason)}"
            : schedule.PausedByUser
                ? "paused by user"
                : MissedRuns.CatchupWindowReason;
        // Never before the schedule existed in its current form, whatever an older checkpoint says.
        var start = Instant.Max(schedule.AnchorAt, schedule.CreatedAt);
        var cursor = entry.MissedCheckedUntil is { } checkedUntil ? Instant.Max(checkedUntil, start) : start;
        while (RecurrenceEngine.Next(schedule.Recurrence, cursor) is { } occurrence && occurrence.At <= checkUntil)
        {
            yield return new(schedule.Id, occurrence, reason);
            cursor = occurrence.At;
        }
    }
}
