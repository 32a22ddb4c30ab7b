using NodaTime;
using Npgsql;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Storage;

/// <summary>
/// The take-over of abandoned runs: a claim that finds the schedule's runs still 'running' after
/// <see cref="LimitsOptions.AbandonedRunAfter"/> (a workflow terminated by hand) closes them before it
/// cuts its window (<see cref="ClaimOutcome.TakeOverAndRun"/>), inside the claim's transaction and
/// under its lock of the schedule's row.
/// </summary>
internal static class RunAbandonment
{
    /// <summary>
    /// Closes the abandoned runs: one with a stored recap is completed as <see cref="RunRepository.CompleteAsync"/>
    /// would, one without is failed, so its late activities change nothing. A late store takes the
    /// schedule's row lock too (<see cref="RecapRepository.StoreOnceAsync"/>), so it commits wholly
    /// before the claim read the runs (its recap is seen) or after the claim (it finds its run failed).
    /// </summary>
    /// <returns>The schedule as it is afterwards.</returns>
    public static async Task<StoredSchedule> CloseAsync(
        NpgsqlConnection connection, Guid scheduleId, IReadOnlyList<(Guid RunId, bool HasRecap)> abandoned, Instant now, LimitsOptions limits,
        CancellationToken cancellationToken)
    {
        foreach (var (runId, _) in abandoned.Where(a => a.HasRecap))
        {
            await RunRepository.CompleteOnAsync(connection, runId, now, cancellationToken);
        }

        // Only runs still running: RunLifecycle lets a running run fail.
        await using (var fail = connection.Sql(
            "UPDATE schedule_runs SET status = $4, error = $2, completed_at = $3 WHERE id = ANY($1) AND status = $5",
            abandoned.Where(a => !a.HasRecap).Select(a => a.RunId).ToArray(),
            $"abandoned: still unfinished after {limits.AbandonedRunAfter}",
            now,
            RunStatus.Failed.ToText(),
            RunStatus.Running.ToText()))
        {
            await fail.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var reread = connection.Sql($"SELECT {ScheduleRepository.Columns} FROM schedules WHERE id = $1", scheduleId);
        return (await reread.ReadFirstAsync(ScheduleRepository.Read, cancellationToken))!;
    }
}
