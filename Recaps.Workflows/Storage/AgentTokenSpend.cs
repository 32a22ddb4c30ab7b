using NodaTime;
using Npgsql;

namespace Recaps.Workflows.Storage;

/// <summary>
/// The tokens LLM agents spent per user and UTC day, for the per-user daily budget. Each spend is a
/// row under a key of its own (a channel of one activity attempt): writing it again replaces it, so a
/// repeated write never counts twice, while a retried attempt's own calls, really paid for, count too.
/// </summary>
public sealed class AgentTokenSpend(NpgsqlDataSource dataSource)
{
    /// <summary>The UTC date a spend at <paramref name="at"/> counts on.</summary>
    public static LocalDate Day(Instant at) => at.InUtc().Date;

    public async Task<long> SpentAsync(string userId, LocalDate day, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql("SELECT coalesce(sum(tokens), 0)::bigint FROM agent_token_spend WHERE user_id = $1 AND day = $2", userId, day);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task RecordAsync(string userId, LocalDate day, string spend, long tokens, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql("""
            INSERT INTO agent_token_spend (user_id, day, spend, tokens) VALUES ($1, $2, $3, $4)
            ON CONFLICT (user_id, day, spend) DO UPDATE SET tokens = EXCLUDED.tokens
            """, userId, day, spend, tokens);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
