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
using Recaps.Workflows.Upkeep;

namespace Recaps.Workflows.Sync;

/// <summary>
/// Compares Temporal with the database once per interval and repairs or surfaces drift: orphans
/// deleted, missing schedules written again, specs rolled forward each new year and recompiled for a
/// new tzdb, a bounded sample of specs whose server reading (its next matching times) differs from
/// the preview marked and written again, pauses brought back in line (never an operator's lifted),
/// Temporal's next and latest action mirrored, and occurrences that never ran recorded as missed. It sees only the Temporal schedules with this deployment's owner mark
/// (<see cref="ScheduleOwner"/>): another deployment's, or one from before the marks, is never
/// changed or deleted. One instance reconciles at a time (an advisory lock); repairs are queued in the
/// outbox, so they are applied in order with the user's own changes, and stale reads only queue a no-op.
/// </summary>
public sealed class ScheduleReconciler(
    NpgsqlDataSource dataSource,
    ITemporalScheduleGateway gateway,
    ScheduleOwner owner,
    TimeZoneData zones,
    IOptions<SyncOptions> options,
    IOptions<RecapsOptions> recaps,
    IOptions<TemporalOptions> temporalOptions,
    IClock clock,
    RecapsMetrics metrics,
    ILogger<ScheduleReconciler> logger) : BackgroundService
{
    private int _overdueLogged;

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
        var (restamped, driftCandidates, refreshes, overdue) = (new List<Guid>(), new List<ReconciledSchedule>(), 0, 0);
        var taskQueue = temporalOptions.Value.TaskQueue;
        var inputs = TemporalScheduleSpecTranslator.Inputs(zones, recaps.Value.Schedules, taskQueue);
        var checkUntil = now - Duration.FromTimeSpan(recaps.Value.Schedules.CatchupWindow + options.Value.MissedGrace);
        foreach (var entry in live)
        {
            var schedule = entry.Schedule;
            var scheduleId = TemporalScheduleSpecTranslator.ScheduleId(schedule.Id);
            var current = temporal.GetValueOrDefault(scheduleId);
            var mirror = Mirror(schedule, current ?? unmarked.GetValueOrDefault(scheduleId), now);
            mirrors.Add((schedule.Id, mirror));
            var spec = entry.Settled && current is not null && refreshes < options.Value.SpecRefreshesPerPass
                ? SpecChecks.Needed(schedule, zones, recaps.Value.Schedules, taskQueue, inputs, now)
                : SpecAction.None;
            refreshes += spec == SpecAction.None ? 0 : 1;
            if (spec == SpecAction.Restamp)
            {
                restamped.Add(schedule.Id);
            }

            if (entry.Settled && Repair(schedule, current, spec == SpecAction.Rewrite) is { } operation)
            {
                await ReconcilerStore.QueueAsync(connection, schedule, operation, now, cancellationToken);
            }
            else if (entry.Settled && current is not null)
            {
                // Only a schedule nothing is queued for: a write on its way would change what the server lists.
                driftCandidates.Add(entry);
            }

            overdue += SpecChecks.Overdue(schedule, recaps.Value.Schedules, Duration.FromTimeSpan(options.Value.SpecRefreshGrace), now) ? 1 : 0;
            missed.AddRange(Missed(entry, mirror, checkUntil));
        }

        var drifts = await CheckDriftAsync(connection, driftCandidates, now, cancellationToken);
        await SpecStore.RestampAsync(connection, restamped, zones.Version, inputs, cancellationToken);
        await ReconcilerStore.MirrorAsync(connection, mirrors, cancellationToken);
        var recorded = await MissedRuns.RecordAsync(connection, missed, now, cancellationToken);
        await ReconcilerStore.CheckpointAsync(connection, [.. live.Select(l => l.Schedule.Id)], checkUntil, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.OccurrencesMissed(recorded);
        metrics.SpecsOverdue(overdue);
        metrics.SpecsDrifted(drifts);

        // Logged when the count changes, not every pass: the gauge carries it meanwhile.
        if (overdue > 0 && Interlocked.Exchange(ref _overdueLogged, overdue) != overdue)
        {
            logger.SpecsOverdue(overdue);
        }

        return true;
    }

    /// <summary>
    /// Asks the server for the next matching times of a few settled schedules (the longest unchecked
    /// first) and compares them with the preview. A difference is recorded on the schedule, logged and
    /// counted once, and the schedule is written again; agreement clears an earlier mark.
    /// </summary>
    /// <returns>How many schedules were found drifted that were not before.</returns>
    private async Task<int> CheckDriftAsync(NpgsqlConnection connection, List<ReconciledSchedule> candidates, Instant now, CancellationToken cancellationToken)
    {
        var jitter = Duration.FromTimeSpan(recaps.Value.Schedules.Jitter);
        var range = new Interval(now, now + Duration.FromTimeSpan(options.Value.DriftWindow));
        var checks = new List<(Guid, SpecDrift?)>();
        var newly = 0;
        foreach (var entry in candidates.OrderBy(c => c.DriftCheckedAt ?? Instant.MinValue).Take(options.Value.DriftChecksPerPass))
        {
            var schedule = entry.Schedule;
            var scheduleId = TemporalScheduleSpecTranslator.ScheduleId(schedule.Id);
            IReadOnlyList<Instant>? listed;
            try
            {
                listed = await gateway.MatchingTimesAsync(scheduleId, range, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // One schedule the server cannot answer for must not stop the pass; it goes to the back of the queue.
                logger.DriftCheckFailed(error, schedule.Id);
                listed = null;
            }

            if (listed is null)
            {
                checks.Add((schedule.Id, schedule.Sync.Drift));
                continue;
            }

            var expected = RecurrenceEngine.Between(schedule.RecurrenceIn(zones), range.Start - jitter - Duration.Epsilon, range.End).Select(o => o.At).ToList();

            var difference = SpecChecks.FirstDifference(expected, listed, range, jitter);
            var drift = difference is var (at, wanted, found) ? new SpecDrift(at, wanted, found, now) : null;
            checks.Add((schedule.Id, drift));
            if (drift is null)
            {
                continue;
            }

            if (schedule.Sync.Drift?.At != drift.At)
            {
                newly++;
                logger.SpecDrifted(schedule.Id, drift.At, drift.Expected, drift.Listed);
            }

            await ReconcilerStore.QueueAsync(connection, schedule, OutboxOperation.Upsert, now, cancellationToken);
        }

        await SpecStore.CheckedAsync(connection, checks, now, cancellationToken);
        return newly;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicPasses.RunAsync(options.Value.ReconcileInterval, ReconcileOnceAsync, logger.ReconcilePassFailed, stoppingToken);

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
    private OutboxOperation? Repair(StoredSchedule schedule, TemporalScheduleState? current, bool specStale)
    {
        var pausedByUser = schedule.PausedByUser;
        switch (current)
        {
            case null:
                logger.Recreating(schedule.Id);
                return OutboxOperation.Upsert;
            case { PausedByOperator: true }:
                // The sync keeps an operator's pause through the rewrite, so only the spec may need it.
                return specStale ? OutboxOperation.Upsert : null;
            case { Paused: false } when pausedByUser:
                return OutboxOperation.Pause;
            case { PausedByUser: true } when !pausedByUser:
                return OutboxOperation.Resume;
            default:
                return specStale ? OutboxOperation.Upsert : null;
        }
    }

    /// <summary>
    /// Occurrences since the last check (or since the schedule's anchor) that are too old to start
    /// now and have no run: the reason is the schedule's pause as it stands, else the catch-up window.
    /// </summary>
    private IEnumerable<MissedRun> Missed(ReconciledSchedule entry, TemporalMirror mirror, Instant checkUntil)
    {
        var schedule = entry.Schedule;
        var reason = mirror.OperatorPaused
            ? PauseReasons.ByOperator(mirror.OperatorPauseReason)
            : schedule.PausedByUser
                ? PauseReasons.ByUser(schedule.PauseReason)
                : MissedRuns.CatchupWindowReason;
        // Never before the schedule existed in its current form, whatever an older checkpoint says.
        var start = Instant.Max(schedule.AnchorAt, schedule.CreatedAt);
        var cursor = entry.MissedCheckedUntil is { } checkedUntil ? Instant.Max(checkedUntil, start) : start;
        foreach (var occurrence in RecurrenceEngine.Between(schedule.RecurrenceIn(zones), cursor, checkUntil))
        {
            yield return new(schedule.Id, occurrence, reason);
        }
    }
}
