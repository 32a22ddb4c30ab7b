using NodaTime;
using Npgsql;
using Recaps.Workflows.Delivery;

namespace Recaps.Workflows.Storage;

/// <summary>Each user's delivery targets (<c>user_delivery</c>).</summary>
public sealed class UserDeliveryStore(NpgsqlDataSource dataSource)
{
    /// <summary>What a user who never chose gets: the recap in the app.</summary>
    public static readonly IReadOnlyList<DeliveryTarget> Default = [new InAppTarget()];

    public async Task<IReadOnlyList<DeliveryTarget>> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT targets FROM user_delivery WHERE user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? StoredTargets.Read(json) : Default;
    }

    public async Task SetAsync(string userId, IReadOnlyList<DeliveryTarget> targets, Instant now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO user_delivery (user_id, targets, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (user_id) DO UPDATE SET targets = excluded.targets, updated_at = excluded.updated_at
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(SqlCommands.Jsonb(StoredTargets.Write(targets)));
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
