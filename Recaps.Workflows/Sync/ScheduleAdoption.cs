using NodaTime;
using Npgsql;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Sync;

/// <summary>
/// The explicit step (<c>Recaps.Worker adopt-schedules [--from mark]</c>) that makes Temporal schedules
/// written without this deployment's mark its own: every <c>recap-schedule-…</c> with no mark (made
/// before marks existed) or, given <c>from</c>, with that mark (an earlier <c>Recaps:Sync:Owner</c>),
/// whose schedule is in this database, is written again with the mark (or deleted, when the schedule
/// was deleted). Unmarked schedules this database does not know are left alone and reported: they may
/// be another deployment's, and nothing is deleted on a guess.
/// </summary>
public sealed class ScheduleAdoption(
    NpgsqlDataSource dataSource, ITemporalScheduleGateway gateway, ScheduleChangeApplier applier, ScheduleRepository schedules, IClock clock)
{
    public const string Command = "adopt-schedules";

    /// <param name="from">The mark to adopt schedules from; null for schedules without one.</param>
    /// <param name="cancellationToken">Stops the pass between schedules.</param>
    public async Task<AdoptionReport> AdoptAsync(string? from = null, CancellationToken cancellationToken = default)
    {
        var candidates = new List<TemporalScheduleState>();
        await foreach (var listed in gateway.ListAsync(cancellationToken))
        {
            if (listed.Owner == from)
            {
                candidates.Add(listed);
            }
        }

        var report = new AdoptionReport();
        foreach (var listed in candidates)
        {
            if (!Guid.TryParse(listed.ScheduleId.AsSpan(TemporalScheduleSpecTranslator.ScheduleIdPrefix.Length), out var id)
                || await schedules.GetAsync(id, cancellationToken) is not { } stored)
            {
                report.LeftAlone.Add(listed.ScheduleId);
                continue;
            }

            try
            {
                (await applier.AdoptAsync(stored, listed, cancellationToken) ? report.Adopted : report.Deleted).Add(listed.ScheduleId);
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                // The others are still adopted. If the delete went through, the reconciler writes the
                // schedule again (an operator's pause, listed in the report, is then lost).
                report.Failed.Add(new(listed, error.Message));
                continue;
            }

            // Changes refused while the schedule was not this deployment's would wait out their backoff otherwise.
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var retry = connection.Sql(
                "UPDATE schedule_outbox SET next_attempt_at = $2 WHERE processed_at IS NULL AND schedule_id = $1", id, clock.GetCurrentInstant());
            await retry.ExecuteNonQueryAsync(cancellationToken);
        }

        return report;
    }
}

/// <summary>What an adoption did, by Temporal schedule id.</summary>
public sealed class AdoptionReport
{
    /// <summary>Written again with this deployment's mark.</summary>
    public List<string> Adopted { get; } = [];

    /// <summary>Deleted: their schedule was deleted (or completed) in this database.</summary>
    public List<string> Deleted { get; } = [];

    /// <summary>Not known to this database: another deployment's, or for an operator to delete.</summary>
    public List<string> LeftAlone { get; } = [];

    /// <summary>Temporal refused a call; the schedule as it was listed (its pause and note) and the error.</summary>
    public List<FailedAdoption> Failed { get; } = [];
}

public sealed record FailedAdoption(TemporalScheduleState Listed, string Error);
