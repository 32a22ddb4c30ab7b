using NodaTime;
using NodaTime.Text;
using Npgsql;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Sync;

/// <summary>An occurrence that never ran, and why.</summary>
public sealed record MissedRun(Guid ScheduleId, Occurrence Occurrence, string Reason);

/// <summary>Writes missed occurrences into the run history, where users see them with their reason.</summary>
internal static class MissedRuns
{
    public const string CatchupWindowReason = "not started within the catch-up window";

    /// <summary>The start of the reason of a run Temporal started but no worker took up within the catch-up window.</summary>
    public const string NoWorkerReason = "no worker took it up within the catch-up window";

    private static readonly InstantPattern Rfc3339Seconds = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'Z'");

    /// <summary>
    /// The id Temporal gives the scheduled start of <paramref name="nominal"/>; a backfill of the
    /// occurrence later starts a workflow with this id, and its claim then runs the missed row.
    /// </summary>
    public static string WorkflowId(Guid scheduleId, Instant nominal) =>
        $"{TemporalScheduleSpecTranslator.WorkflowIdPrefix(scheduleId)}-{Rfc3339Seconds.Format(nominal)}";

    /// <summary>Records each occurrence that has no run row at all; one with any row (even failed or skipped) is accounted for.</summary>
    /// <returns>How many were recorded now.</returns>
    public static async Task<int> RecordAsync(NpgsqlConnection connection, IReadOnlyList<MissedRun> missed, Instant now, CancellationToken cancellationToken)
    {
        if (missed.Count == 0)
        {
            return 0;
        }

        await using var insert = connection.Sql("""
            INSERT INTO schedule_runs (id, schedule_id, occurrence_key, nominal_time, workflow_id, status, reason, created_at, completed_at)
            SELECT m.id, m.schedule_id, m.occurrence_key, m.nominal_time, m.workflow_id, $8, m.reason, $7, $7
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[])
                AS m(id, schedule_id, occurrence_key, nominal_time, workflow_id, reason)
            WHERE NOT EXISTS (SELECT 1 FROM schedule_runs r WHERE r.schedule_id = m.schedule_id AND r.occurrence_key = m.occurrence_key)
            ON CONFLICT DO NOTHING
            """,
            missed.Select(_ => Guid.CreateVersion7()).ToArray(),
            missed.Select(m => m.ScheduleId).ToArray(),
            missed.Select(m => m.Occurrence.Key).ToArray(),
            missed.Select(m => m.Occurrence.At).ToArray(),
            missed.Select(m => WorkflowId(m.ScheduleId, m.Occurrence.At)).ToArray(),
            missed.Select(m => m.Reason).ToArray(),
            now,
            RunStatus.Missed.ToText());
        return await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
