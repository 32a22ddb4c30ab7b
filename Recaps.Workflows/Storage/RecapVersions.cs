using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Storage;

/// <summary>
/// A version of a run's recap: stored (<paramref name="At"/> when), or a regeneration's, pending
/// (<paramref name="At"/> when asked for) or failed (<paramref name="At"/> when, with the <paramref name="Error"/>).
/// </summary>
public sealed record RecapVersion(Guid RecapId, int Version, string Agent, RecapVersionState State, Instant At, string? Error);

/// <summary>The versions of one run's recap: its first, the regenerated ones, and those asked for and not (yet) written.</summary>
public sealed class RecapVersions(NpgsqlDataSource dataSource)
{
    /// <summary>Every version of the run <paramref name="recapId"/> belongs to, oldest first; empty when the recap is not <paramref name="userId"/>'s.</summary>
    public async Task<IReadOnlyList<RecapVersion>> OfAsync(Guid recapId, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql("""
            WITH run AS (SELECT run_id FROM recaps WHERE id = $1 AND user_id = $2)
            SELECT c.id, c.version, c.agent, TRUE AS stored, FALSE AS failed, c.created_at AS at, NULL AS error
            FROM recaps c JOIN run USING (run_id)
            UNION ALL
            SELECT g.recap_id, g.version, g.agent, FALSE, g.failed_at IS NOT NULL, coalesce(g.failed_at, g.requested_at), g.error
            FROM recap_regenerations g JOIN run USING (run_id)
            WHERE NOT EXISTS (SELECT 1 FROM recaps c WHERE c.id = g.recap_id)
            ORDER BY version
            """, recapId, userId);
        return await command.ReadAllAsync(
            reader => new RecapVersion(
                reader.GetGuid(0),
                reader.GetInt32(1),
                reader.GetString(2),
                reader.GetBoolean(3) ? RecapVersionState.Stored : reader.GetBoolean(4) ? RecapVersionState.Failed : RecapVersionState.Pending,
                reader.GetFieldValue<Instant>(5),
                reader.GetNullable<string>(6)),
            cancellationToken);
    }
}
