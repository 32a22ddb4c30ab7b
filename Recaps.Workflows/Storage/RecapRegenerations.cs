using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Storage;

/// <summary>
/// A request for a new version of a run's recap: the version and the id it will be stored under, the
/// agent to write it, and what the workflow needs to find the rest (the run, its owner).
/// </summary>
public sealed record RecapRegeneration(Guid Id, Guid RunId, Guid ScheduleId, Guid RecapId, string UserId, int Version, string Agent, Instant RequestedAt);

/// <summary>What a request for a new version came to: recorded (or the one already waiting), or refused for an agent not configured.</summary>
public sealed record RegenerationRequest(RecapRegeneration? Requested, string? UnconfiguredAgent);

/// <summary>Regeneration requests: recorded with the outbox row that has the sync start their workflow.</summary>
public sealed class RecapRegenerations(NpgsqlDataSource dataSource, IClock clock, OutboxWakeups? wakeups = null)
{
    private const string Columns = "g.id, g.run_id, r.schedule_id, g.recap_id, g.user_id, g.version, g.agent, g.requested_at";

    /// <summary>
    /// Records a request for a new version of <paramref name="recapId"/> (any version of it) by
    /// <paramref name="agent"/>, or the schedule's agent when null. A request for the same agent still
    /// waiting for its version (neither stored nor failed) is answered with that one (a double click
    /// makes one version). Nothing is recorded when the agent chosen is not one of <paramref name="agents"/>
    /// (a schedule's agent since taken out of the configuration). Null when the recap is not the user's.
    /// </summary>
    public async Task<RegenerationRequest?> RequestAsync(
        Guid recapId, string userId, string? agent, IReadOnlySet<string> agents, CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The run's lock makes the version's choice and the insert one step for concurrent requests.
        Guid runId, scheduleId;
        int scheduleVersion;
        string chosen;
        await using (var find = connection.Sql("""
            SELECT r.id, s.id, s.version, s.agent
            FROM recaps c JOIN schedule_runs r ON r.id = c.run_id JOIN schedules s ON s.id = r.schedule_id
            WHERE c.id = $1 AND c.user_id = $2
            FOR UPDATE OF r
            """, recapId, userId))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (runId, scheduleId, scheduleVersion) = (reader.GetGuid(0), reader.GetGuid(1), reader.GetInt32(2));
            chosen = agent ?? reader.GetString(3);
        }

        if (!agents.Contains(chosen))
        {
            return new(null, chosen);
        }

        await using (var pending = connection.Sql($"""
            SELECT {Columns} FROM recap_regenerations g JOIN schedule_runs r ON r.id = g.run_id
            WHERE g.run_id = $1 AND g.agent = $2 AND g.failed_at IS NULL AND NOT EXISTS (SELECT 1 FROM recaps c WHERE c.id = g.recap_id)
            """, runId, chosen))
        {
            if (await pending.ReadFirstAsync(Read, cancellationToken) is { } waiting)
            {
                return new(waiting, null);
            }
        }

        RecapRegeneration requested;
        await using (var insert = connection.Sql($"""
            WITH inserted AS (
                INSERT INTO recap_regenerations (id, run_id, recap_id, user_id, version, agent, requested_at)
                SELECT $1, $2, $3, $4, 1 + greatest(
                    (SELECT max(version) FROM recaps WHERE run_id = $2),
                    (SELECT coalesce(max(version), 0) FROM recap_regenerations WHERE run_id = $2)), $5, $6
                RETURNING *)
            SELECT {Columns} FROM inserted g JOIN schedule_runs r ON r.id = g.run_id
            """, Guid.CreateVersion7(), runId, Guid.CreateVersion7(), userId, chosen, now))
        {
            requested = (await insert.ReadFirstAsync(Read, cancellationToken))!;
        }

        await ScheduleOutbox.AppendAsync(connection, scheduleId, OutboxOperation.Regenerate, scheduleVersion, now, cancellationToken, regenerationId: requested.Id);
        await transaction.CommitAsync(cancellationToken);
        wakeups?.Raise();
        return new(requested, null);
    }

    /// <summary>Records that the request's workflow failed for good, with the error a user may see; the first failure stays.</summary>
    public async Task MarkFailedAsync(Guid id, string error, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql(
            "UPDATE recap_regenerations SET failed_at = $2, error = $3 WHERE id = $1 AND failed_at IS NULL", id, clock.GetCurrentInstant(), error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<RecapRegeneration?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql($"SELECT {Columns} FROM recap_regenerations g JOIN schedule_runs r ON r.id = g.run_id WHERE g.id = $1", id);
        return await command.ReadFirstAsync(Read, cancellationToken);
    }

    private static RecapRegeneration Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(3), reader.GetString(4), reader.GetInt32(5), reader.GetString(6), reader.GetFieldValue<Instant>(7));
}
