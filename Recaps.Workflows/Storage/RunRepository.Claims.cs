using NodaTime;
using Npgsql;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;

namespace Recaps.Workflows.Storage;

/// <summary>A claimed (or skipped, or missed) occurrence; <paramref name="NewlyMissed"/> only when this claim recorded it missed.</summary>
public sealed record ClaimedOccurrence(StoredRun Run, StoredSchedule Schedule, bool NewlyMissed = false);

/// <summary>Raised while another run of the same schedule is unfinished; the activity retries until it is.</summary>
public sealed class OccurrenceInProgressException(string message) : Exception(message);

/// <summary>Claims of occurrences: <see cref="OccurrenceClaim"/> decides, from rows read under the schedule's lock.</summary>
public sealed partial class RunRepository
{
    /// <summary>
    /// Claims the occurrence a workflow execution stands for, or records why it is skipped (or, given
    /// <paramref name="missedReason"/>, missed: a start too stale to run). Calling it again for the same
    /// workflow returns the first answer. Null when the schedule never existed.
    /// </summary>
    public async Task<ClaimedOccurrence?> ClaimAsync(
        ResolveChannelsInput input, LimitsOptions limits, string? missedReason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(limits);
        var now = clock.GetCurrentInstant();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The row lock serialises claims of one schedule, so what is read below cannot change before
        // the decision is stored. Statements that need only the input go in one round trip; each still
        // runs after the one before it.
        StoredSchedule? schedule;
        StoredRun? existing;
        await using (var lockAndFind = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                SqlCommands.BatchSql($"SELECT {ScheduleRepository.Columns} FROM schedules WHERE id = $1 FOR UPDATE", input.ScheduleId),
                SqlCommands.BatchSql($"SELECT {RunRows.Columns} FROM schedule_runs WHERE workflow_id = $1", input.WorkflowId),
            },
        })
        await using (var reader = await lockAndFind.ExecuteReaderAsync(cancellationToken))
        {
            schedule = await reader.ReadAsync(cancellationToken) ? ScheduleRepository.Read(reader) : null;
            await reader.NextResultAsync(cancellationToken);
            existing = await reader.ReadAsync(cancellationToken) ? RunRows.Read(reader) : null;
        }

        if (schedule is null)
        {
            return null;
        }

        if (existing is not null && !OccurrenceClaim.ClaimsAgain(existing.Status))
        {
            return new(existing, schedule);
        }

        LocalDate? scheduledDate = input.RunNowId is null ? RecurrenceEngine.OccurrenceDateOf(schedule.RecurrenceIn(zones), input.NominalTime) : null;
        var key = input.RunNowId is { } runNowId ? OccurrenceKeys.ForRunNow(runNowId) : OccurrenceKeys.ForDate(scheduledDate!.Value);
        var skipReason = OccurrenceClaim.SkipReason(schedule.AsClaimed(), scheduledDate);
        var (others, abandoned) = skipReason is null
            ? await OtherRunsAsync(connection, schedule.Id, key, input.WorkflowId, now - Duration.FromTimeSpan(limits.AbandonedRunAfter), cancellationToken)
            : (OtherRuns.None, []);
        var decision = OccurrenceClaim.Decide(skipReason, others, key, missedReason);
        switch (decision.Outcome)
        {
            case ClaimOutcome.Wait:
                throw new OccurrenceInProgressException($"{decision.Detail} of the same schedule is still running; this run waits for it.");
            case ClaimOutcome.TakeOverAndRun:
                schedule = await RunAbandonment.CloseAsync(connection, schedule.Id, abandoned, now, limits, cancellationToken);
                break;
        }

        var status = decision.Status;
        RunLifecycle.EnsureCanMove(existing?.Status, status);
        var (windowStart, windowEnd, note) = OccurrenceClaim.Window(schedule.Watermark, input.NominalTime, limits.DefaultLookbackDuration, limits.MaxLookbackDuration);
        var running = status == RunStatus.Running;
        // RETURNING gives the claimed row as stored, without reading it again. Only a running run is unfinished ($11).
        StoredRun claimed;
        await using (var upsert = connection.Sql($"""
            INSERT INTO schedule_runs (id, schedule_id, occurrence_key, nominal_time, workflow_id, status, reason,
                                       window_start, window_end, created_at, claimed_at, completed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, CASE WHEN NOT $11 THEN $10 END)
            ON CONFLICT (workflow_id) DO UPDATE SET
                occurrence_key = EXCLUDED.occurrence_key, status = EXCLUDED.status, reason = EXCLUDED.reason,
                window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end,
                claimed_at = EXCLUDED.claimed_at, completed_at = EXCLUDED.completed_at
            RETURNING {RunRows.Columns}
            """,
            Guid.CreateVersion7(), schedule.Id, key, input.NominalTime, input.WorkflowId,
            status.ToText(), SqlCommands.Text(decision.Detail ?? note),
            running ? windowStart : null, running ? windowEnd : null, now, running))
        {
            claimed = (await upsert.ReadFirstAsync(RunRows.Read, cancellationToken))!;
        }

        if (status == RunStatus.Missed && OneTimeCompletion.ByMiss(schedule.Intent.Recurring, schedule.AnchorAt, input.NominalTime))
        {
            await ScheduleOutbox.CompleteOneTimeAsync(connection, schedule.Id, now, evenIfDeleted: false, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new(claimed, schedule, OccurrenceClaim.NewlyMissed(decision, existing?.Status));
    }

    /// <summary>
    /// In one round trip: another run holding the same occurrence (this one is then a duplicate), an
    /// unfinished run of the schedule (this one waits for it), and the schedule's runs unfinished since
    /// before <paramref name="abandonedBefore"/> (to be closed), with whether each has its recap stored.
    /// </summary>
    private static async Task<(OtherRuns Others, List<(Guid RunId, bool HasRecap)> Abandoned)> OtherRunsAsync(
        NpgsqlConnection connection, Guid scheduleId, string key, string workflowId, Instant abandonedBefore, CancellationToken cancellationToken)
    {
        var released = Enum.GetValues<RunStatus>().Where(s => !RunLifecycle.HoldsOccurrence(s));
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                // The predicate of the partial unique index schedule_runs_one_per_occurrence, which serves it.
                SqlCommands.BatchSql($"""
                    SELECT workflow_id FROM schedule_runs
                    WHERE schedule_id = $1 AND occurrence_key = $2 AND status NOT IN ({RunRows.Literals(released)}) AND workflow_id <> $3
                    """, scheduleId, key, workflowId),
                SqlCommands.BatchSql($"""
                    SELECT workflow_id, claimed_at > $3 AS in_progress, id, recap_id IS NOT NULL AS has_recap FROM schedule_runs
                    WHERE schedule_id = $1 AND status = '{RunStatus.Running.ToText()}' AND workflow_id <> $2
                    """, scheduleId, workflowId, abandonedBefore),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var duplicateOf = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null;
        await reader.NextResultAsync(cancellationToken);
        string? inProgress = null;
        var abandoned = new List<(Guid, bool)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.Get<bool>("in_progress"))
            {
                inProgress = reader.Get<string>("workflow_id");
            }
            else
            {
                abandoned.Add((reader.Get<Guid>("id"), reader.Get<bool>("has_recap")));
            }
        }

        return (new(duplicateOf, inProgress, abandoned.Count), abandoned);
    }
}
