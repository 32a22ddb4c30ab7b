using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;

namespace Recaps.Workflows.Storage;

/// <summary>
/// What completing a run did: <paramref name="Ended"/> only the first time, and <paramref name="Counted"/>
/// then too unless it was skipped;
/// <paramref name="DeliveryDelay"/> from the nominal time to the recap being stored; <paramref name="RecapId"/>
/// the run's recap, when it ended here with one.
/// </summary>
public sealed record RunCompletion(bool Ended, bool Counted, bool ScheduleCompleted, Duration DeliveryDelay, Guid? RecapId);

/// <summary>How runs end: completed, failed, skipped with nothing to recap, or skipped because their schedule was deleted after the claim.</summary>
public sealed partial class RunRepository
{
    /// <summary>
    /// Completes a running run: counts it once, moves the schedule's watermark to its window end, and
    /// completes a one-time schedule (queueing the delete of its Temporal schedule).
    /// </summary>
    public Task<RunCompletion> CompleteAsync(Guid runId, CancellationToken cancellationToken = default) => EndAsync(runId, null, cancellationToken);

    /// <summary>
    /// Ends a running run whose window had no posts (<see cref="ScheduleIntent.SkipIfEmpty"/>) as skipped,
    /// <see cref="OccurrenceClaim.EmptyReason"/>: nothing was left out, so the watermark moves to its
    /// window end and a one-time schedule completes, as for a recap; it is not counted as one.
    /// </summary>
    public Task<RunCompletion> SkipEmptyAsync(Guid runId, CancellationToken cancellationToken = default) =>
        EndAsync(runId, OccurrenceClaim.EmptyReason, cancellationToken);

    private async Task<RunCompletion> EndAsync(Guid runId, string? skipReason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await CompleteOnAsync(connection, runId, clock.GetCurrentInstant(), cancellationToken, skipReason);
        await transaction.CommitAsync(cancellationToken);
        if (result.ScheduleCompleted)
        {
            wakeups?.Raise();
        }

        return result;
    }

    /// <summary><see cref="CompleteAsync"/> inside the caller's transaction; given <paramref name="skipReason"/>, <see cref="SkipEmptyAsync"/>.</summary>
    internal static async Task<RunCompletion> CompleteOnAsync(
        NpgsqlConnection connection, Guid runId, Instant now, CancellationToken cancellationToken, string? skipReason = null)
    {
        // One statement: the run's row first (only a run that may complete does: a retry finds it
        // completed), then the schedule's, which the update locks and returns as it stands once any
        // concurrent edit has committed: an edit re-anchors a one-time schedule past this run's nominal
        // time, and then this run (of the intent before the edit) must not complete it.
        Guid scheduleId;
        bool completes;
        Duration deliveryDelay;
        Guid? recapId;
        await using (var complete = connection.Sql($"""
            WITH run AS (
                UPDATE schedule_runs SET status = $3, completed_at = $2, reason = COALESCE($5, reason)
                WHERE id = $1 AND status IN ({RunRows.Literals(RunLifecycle.Before(RunStatus.Completed))})
                RETURNING schedule_id, window_end, nominal_time, occurrence_key LIKE $4 || '%' AS run_now, recap_id)
            UPDATE schedules s SET run_count = s.run_count + CASE WHEN $5 IS NULL THEN 1 ELSE 0 END,
                last_run_at = CASE WHEN $5 IS NULL THEN $2 ELSE s.last_run_at END, watermark = GREATEST(s.watermark, run.window_end)
            FROM run WHERE s.id = run.schedule_id
            RETURNING s.id, s.recurring, s.status, s.anchor_at, run.nominal_time, run.run_now, run.recap_id,
                (SELECT r.created_at FROM recaps r WHERE r.id = run.recap_id) AS recap_stored_at
            """, runId, now, (skipReason is null ? RunStatus.Completed : RunStatus.Skipped).ToText(), OccurrenceKeys.RunNowPrefix, SqlCommands.Text(skipReason)))
        await using (var reader = await complete.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new(Ended: false, Counted: false, ScheduleCompleted: false, Duration.Zero, null);
            }

            scheduleId = reader.Get<Guid>("id");
            var nominal = reader.Get<Instant>("nominal_time");
            completes = OneTimeCompletion.ByRun(
                reader.Get<bool>("recurring"), ScheduleStatusText.Parse(reader.Get<string>("status")), reader.Get<Instant>("anchor_at"), reader.Get<bool>("run_now"), nominal);
            deliveryDelay = (reader.GetNullableValue<Instant>("recap_stored_at") ?? now) - nominal;
            recapId = reader.GetNullableValue<Guid>("recap_id");
        }

        // A one-time schedule's scheduled run completes it (even deleted meanwhile); the sync then deletes its Temporal schedule.
        var completed = completes && await ScheduleOutbox.CompleteOneTimeAsync(connection, scheduleId, now, evenIfDeleted: true, cancellationToken);
        return new(Ended: true, Counted: skipReason is null, ScheduleCompleted: completed, deliveryDelay, recapId);
    }

    /// <summary>Records a failed run with its error; a run that failed before its claim gets a row of its own.</summary>
    /// <returns>False when the run had already ended (a retry of this call, or a run completed meanwhile).</returns>
    public async Task<bool> FailAsync(MarkFailedInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql($"""
            INSERT INTO schedule_runs (id, schedule_id, occurrence_key, nominal_time, workflow_id, status, error, created_at, completed_at)
            SELECT $1, s.id, 'failed-' || $3, $4, $3, $7, $5, $6, $6 FROM schedules s WHERE s.id = $2
            ON CONFLICT (workflow_id) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error, completed_at = EXCLUDED.completed_at
            WHERE schedule_runs.status IN ({RunRows.Literals(RunLifecycle.Before(RunStatus.Failed))})
            """,
            Guid.CreateVersion7(), input.ScheduleId, input.WorkflowId, input.NominalTime, input.Error, clock.GetCurrentInstant(), RunStatus.Failed.ToText());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Records a running run skipped because its schedule was deleted after the claim (a delete is never undone).</summary>
    public async Task SkipDeletedAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await SkipDeletedOnAsync(connection, runId, clock.GetCurrentInstant(), cancellationToken);
    }

    /// <summary><see cref="SkipDeletedAsync"/> inside the caller's transaction; only a running run (one the claim skipped is skipped already).</summary>
    internal static async Task SkipDeletedOnAsync(NpgsqlConnection connection, Guid runId, Instant now, CancellationToken cancellationToken)
    {
        await using var skip = connection.Sql(
            "UPDATE schedule_runs SET status = $4, reason = $2, completed_at = $3 WHERE id = $1 AND status = $5",
            runId, OccurrenceClaim.DeletedReason, now, RunStatus.Skipped.ToText(), RunStatus.Running.ToText());
        await skip.ExecuteNonQueryAsync(cancellationToken);
    }
}
