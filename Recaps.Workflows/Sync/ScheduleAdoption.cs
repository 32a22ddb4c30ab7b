using NodaTime;
using Npgsql;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Sync;

/// <summary>
/// The explicit step (<c>Recaps.Worker adopt-schedules</c>) that makes Temporal schedules written
/// before owner marks existed this deployment's: every unmarked <c>recap-schedule-…</c> whose schedule
/// is in this database is written again with the mark (or deleted, when the schedule was deleted).
/// Unmarked schedules this database does not know are left alone and reported: they may be another
/// deployment's, and nothing is deleted on a guess.
/// </summary>
public sealed class ScheduleAdoption(
    NpgsqlDataSource dataSource, ITemporalScheduleGateway gateway, ScheduleChangeApplier applier, ScheduleRepository schedules, IClock clock)
{
    public const string Command = "adopt-schedules";

    public async Task<AdoptionReport> AdoptAsync(CancellationToken cancellationToken = default)
    {
        var unmarked = new List<TemporalScheduleState>();
        await foreach (var listed in gateway.ListAsync(cancellationToken))
        {
            if (listed.Owner is null)
            {
                unmarked.Add(listed);
            }
        }

        var adopted = new List<Guid>();
        var leftAlone = new List<string>();
        foreach (var schedule in unmarked)
        {
            if (Guid.TryParse(schedule.ScheduleId.AsSpan(TemporalScheduleSpecTranslator.ScheduleIdPrefix.Length), out var id)
                && await schedules.GetAsync(id, cancellationToken) is { } stored)
            {
                await applier.AdoptAsync(stored, schedule, cancellationToken);
                adopted.Add(id);
            }
            else
            {
                leftAlone.Add(schedule.ScheduleId);
            }
        }

        // Changes refused while the schedule was unmarked wait out their backoff otherwise.
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var retry = connection.Sql(
            "UPDATE schedule_outbox SET next_attempt_at = $2 WHERE processed_at IS NULL AND schedule_id = ANY($1)", adopted.ToArray(), clock.GetCurrentInstant()))
        {
            await retry.ExecuteNonQueryAsync(cancellationToken);
        }

        return new([.. adopted.Select(TemporalScheduleSpecTranslator.ScheduleId)], leftAlone);
    }
}

/// <summary>What an adoption did: the Temporal schedules now marked as this deployment's, and the unmarked ones it did not know.</summary>
public sealed record AdoptionReport(IReadOnlyList<string> Adopted, IReadOnlyList<string> LeftAlone);
