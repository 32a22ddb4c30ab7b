using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Temporal;
using Temporalio.Client.Schedules;

namespace Recaps.Workflows.Sync;

/// <summary>
/// Applies one outbox change to Temporal, idempotently: applying it twice leaves Temporal as applying
/// it once. Upsert, pause and resume apply the schedule's current intent, so a change applied late
/// (or again) never rolls Temporal back to an older one. Only schedules with this deployment's owner
/// mark are changed; any other is refused with <see cref="ScheduleNotOwnedException"/>.
/// </summary>
public sealed class ScheduleChangeApplier(
    ITemporalScheduleGateway gateway,
    ScheduleOwner owner,
    TimeZoneData zones,
    IOptions<RecapsOptions> recaps,
    IOptions<TemporalOptions> temporal,
    IClock clock)
{
    public async Task<AppliedChange> ApplyAsync(PendingChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var schedule = change.Schedule;
        var scheduleId = TemporalScheduleSpecTranslator.ScheduleId(schedule.Id);
        switch (Operation(change))
        {
            case OutboxOperation.Delete:
                await gateway.DeleteAsync(scheduleId, await owner.IdAsync(cancellationToken), cancellationToken);
                return AppliedChange.Nothing;
            case OutboxOperation.Run:
                // A deleted or paused schedule's run-now is still started: its claim records it as skipped, with the reason.
                await gateway.StartRunNowAsync(new(schedule.Id, change.RunId!.Value, change.RunRequestedAt!.Value), cancellationToken);
                return AppliedChange.Nothing;
            case OutboxOperation.Regenerate:
                // The recap exists whatever has become of its schedule since: its owner still gets the new version.
                await gateway.StartRegenerationAsync(change.RegenerationId!.Value, cancellationToken);
                return AppliedChange.Nothing;
            case var _ when schedule.DeletedAt is not null || schedule.Status == ScheduleStatus.Completed:
                // Its delete row follows; writing the schedule first would only be undone.
                return AppliedChange.Nothing;
            case OutboxOperation.Upsert:
                return await WriteAsync(scheduleId, schedule, previous: null, cancellationToken);
            case OutboxOperation.Pause or OutboxOperation.Resume:
                return await ApplyPauseAsync(scheduleId, schedule, cancellationToken);
            case var operation:
                throw StateText<OutboxOperation>.OutOfRange(operation);
        }
    }

    /// <summary>
    /// Written by a newer version during a rolling upgrade, an operation this one does not know fails
    /// the change: it is left pending (and retried) for a worker that knows it, never applied as another.
    /// </summary>
    private static OutboxOperation Operation(PendingChange change)
    {
        try
        {
            return OutboxOperationText.Parse(change.Operation);
        }
        catch (UnknownStateTextException unknown)
        {
            throw new InvalidOperationException($"Outbox row {change.Id} has an unknown operation '{change.Operation}'.", unknown);
        }
    }

    /// <summary>
    /// Makes a Temporal schedule written without this deployment's mark (before marks existed, or under
    /// an earlier <c>Recaps:Sync:Owner</c>) this deployment's: Temporal cannot change a memo, so it is
    /// deleted (only while it still has the mark it was listed with) and written again with this mark,
    /// keeping an operator's pause. A deleted or completed schedule's is only deleted.
    /// </summary>
    /// <returns>False when the schedule was only deleted.</returns>
    public async Task<bool> AdoptAsync(StoredSchedule schedule, TemporalScheduleState listed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(listed);
        await gateway.DeleteAsync(listed.ScheduleId, listed.Owner, cancellationToken);
        if (schedule.DeletedAt is not null || schedule.Status == ScheduleStatus.Completed)
        {
            return false;
        }

        await WriteAsync(listed.ScheduleId, schedule, new ScheduleState { Paused = listed.Paused, Note = listed.Note }, cancellationToken);
        return true;
    }

    /// <summary>
    /// Creates or replaces the Temporal schedule (keeping an operator's pause in <paramref name="previous"/>
    /// or in the schedule replaced). A one-time schedule whose only occurrence has passed would never
    /// fire from a new spec: within the catch-up window it is backfilled (run late, as Temporal runs
    /// occurrences it missed while down); beyond it, it is missed.
    /// </summary>
    private async Task<AppliedChange> WriteAsync(
        string scheduleId, StoredSchedule schedule, ScheduleState? previous, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var options = recaps.Value.Schedules;
        var recurrence = schedule.RecurrenceIn(zones);
        var passed = !recurrence.Recurring && RecurrenceEngine.Next(recurrence, schedule.AnchorAt) is { } only && only.At <= now
            ? only
            : (Occurrence?)null;
        if (passed is { } late && now - late.At > Duration.FromTimeSpan(options.CatchupWindow))
        {
            return new(Spec: null, MissedOneTime: late);
        }

        var desired = TemporalScheduleSpecTranslator.Translate(schedule, zones, options, temporal.Value.TaskQueue, now);
        if (previous is not null)
        {
            desired = TemporalScheduleMapping.KeepOperatorPause(desired, previous);
        }

        var mark = await owner.IdAsync(cancellationToken);
        // The likelier call first: create for a schedule never written (exists → update; gone again
        // by then → create), update for one written before, so a re-sync after a new tzdb is one call
        // fewer (gone → create; created again by then → update).
        Func<Task<bool>> create = () => gateway.CreateAsync(scheduleId, desired, mark, cancellationToken);
        Func<Task<bool>> update = () => gateway.UpdateAsync(scheduleId, desired, mark, cancellationToken);
        var (first, then) = schedule.Sync.Spec is null ? (create, update) : (update, create);
        if (!await first() && !await then() && !await first())
        {
            throw new InvalidOperationException($"Temporal schedule {scheduleId} was created and deleted concurrently; the change is retried.");
        }

        if (passed is { } due)
        {
            await gateway.BackfillAsync(scheduleId, due.At, cancellationToken);
        }

        return new(
            new(
                TemporalScheduleSpecTranslator.SpecUntil(recurrence, options, now),
                zones.Version,
                TemporalScheduleSpecTranslator.Inputs(zones, options, temporal.Value.TaskQueue),
                TemporalScheduleSpecTranslator.SpecHash(desired)),
            MissedOneTime: null);
    }

    /// <summary>
    /// Brings Temporal's pause in line with the user's. An operator's pause is never touched: it keeps
    /// the schedule paused whatever the user does, and the user's own pause is applied once it is lifted.
    /// </summary>
    private async Task<AppliedChange> ApplyPauseAsync(string scheduleId, StoredSchedule schedule, CancellationToken cancellationToken)
    {
        var current = await gateway.DescribeAsync(scheduleId, cancellationToken);
        if (current is null)
        {
            return await WriteAsync(scheduleId, schedule, previous: null, cancellationToken);
        }

        if (current.Owner != await owner.IdAsync(cancellationToken))
        {
            throw new ScheduleNotOwnedException(scheduleId, current.Owner);
        }

        if (current.PausedByOperator)
        {
            return AppliedChange.Nothing;
        }

        var pausedByUser = schedule.PausedByUser;
        var note = TemporalScheduleSpecTranslator.UserPauseNote(schedule.PauseReason);
        var found = (pausedByUser, current.PausedByUser) switch
        {
            (true, _) when !current.Paused || current.Note != note => await gateway.PauseAsync(scheduleId, note, cancellationToken),
            (false, true) => await gateway.UnpauseAsync(scheduleId, TemporalScheduleSpecTranslator.ManagedNote, cancellationToken),
            _ => true,
        };
        return found ? AppliedChange.Nothing : await WriteAsync(scheduleId, schedule, previous: null, cancellationToken);
    }
}
