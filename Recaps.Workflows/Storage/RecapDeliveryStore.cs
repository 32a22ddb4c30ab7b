using NodaTime;
using Npgsql;
using Recaps.Workflows.Delivery;

namespace Recaps.Workflows.Storage;

/// <summary>One delivery of a recap to one target (<c>recap_deliveries</c>); <see cref="Id"/> names it on the wire.</summary>
public sealed record RecapDelivery(Guid Id, Guid RecapId, int Position, DeliveryTarget Target, DeliveryStatus Status, int Attempts, Instant At, string? Error);

/// <summary>Recaps' deliveries: planned once per recap, each moved out of pending once.</summary>
public sealed class RecapDeliveryStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, recap_id, position, target, status, attempts, at, error";

    private static readonly string PendingText = DeliveryStatus.Pending.ToText();

    /// <summary>
    /// Stores one delivery per target for <paramref name="recap"/> unless it has deliveries already (then
    /// <paramref name="targets"/> are ignored: a recap is routed once). An in-app target is delivered
    /// with the recap. Returns the recap's deliveries as stored, and whether this call planned them.
    /// </summary>
    public async Task<(IReadOnlyList<RecapDelivery> Deliveries, bool Planned)> PlanOnceAsync(
        StoredRecap recap, IReadOnlyList<DeliveryTarget> targets, Instant now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recap);
        ArgumentNullException.ThrowIfNull(targets);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One implicit transaction; the recap's row lock makes a concurrent plan wait, then find these rows.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                SqlCommands.BatchSql("SELECT 1 FROM recaps WHERE id = $1 FOR NO KEY UPDATE", recap.Id),
                SqlCommands.BatchSql("""
                    INSERT INTO recap_deliveries (id, recap_id, position, target, status, at)
                    SELECT u.id, $1, u.position - 1, u.target::jsonb, u.status, CASE WHEN u.status = $5 THEN $6 ELSE $4 END
                    FROM unnest($2::uuid[], $3::text[], $7::text[]) WITH ORDINALITY AS u(id, target, status, position)
                    WHERE NOT EXISTS (SELECT 1 FROM recap_deliveries WHERE recap_id = $1)
                    """,
                    recap.Id, targets.Select(_ => Guid.CreateVersion7()).ToArray(), targets.Select(StoredTargets.Write).ToArray(),
                    recap.CreatedAt, PendingText, now, targets.Select(t => (t is InAppTarget ? DeliveryStatus.Delivered : DeliveryStatus.Pending).ToText()).ToArray()),
                SqlCommands.BatchSql($"SELECT {Columns} FROM recap_deliveries WHERE recap_id = $1 ORDER BY position", recap.Id),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        // The insert has no result set: the next one is the select's.
        await reader.NextResultAsync(cancellationToken);
        var planned = batch.BatchCommands[1].RecordsAffected > 0;
        var deliveries = new List<RecapDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(Read(reader));
        }

        return (deliveries, planned);
    }

    public async Task<RecapDelivery?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql($"SELECT {Columns} FROM recap_deliveries WHERE id = $1", id);
        return await command.ReadFirstAsync(Read, cancellationToken);
    }

    /// <summary>The deliveries of each recap, in their targets' order; a recap without any is absent.</summary>
    public async Task<ILookup<Guid, RecapDelivery>> ForRecapsAsync(IReadOnlyList<Guid> recapIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recapIds);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql(
            $"SELECT {Columns} FROM recap_deliveries WHERE recap_id = ANY($1) ORDER BY recap_id, position", recapIds.ToArray());
        return (await command.ReadAllAsync(Read, cancellationToken)).ToLookup(d => d.RecapId);
    }

    /// <summary>Counts an attempt to send a pending delivery, before it is made; null when it is no longer pending.</summary>
    public async Task<int?> BeginAttemptAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql("UPDATE recap_deliveries SET attempts = attempts + 1 WHERE id = $1 AND status = $2 RETURNING attempts", id, PendingText);
        return await command.ExecuteScalarAsync(cancellationToken) is int attempts ? attempts : null;
    }

    /// <summary>
    /// Records where a pending delivery stands (still pending with the last error, or its end); false
    /// when it was no longer pending, so each end is recorded, and counted, once.
    /// </summary>
    public async Task<bool> RecordAsync(Guid id, DeliveryStatus status, string? error, Instant at, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql(
            "UPDATE recap_deliveries SET status = $2, error = $3, at = $4 WHERE id = $1 AND status = $5",
            id, status.ToText(), SqlCommands.Text(error), at, PendingText);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static RecapDelivery Read(NpgsqlDataReader reader) => new(
        reader.Get<Guid>("id"),
        reader.Get<Guid>("recap_id"),
        reader.Get<int>("position"),
        StoredTargets.ReadOne(reader.Get<string>("target")),
        DeliveryStatusText.Parse(reader.Get<string>("status")),
        reader.Get<int>("attempts"),
        reader.Get<Instant>("at"),
        reader.GetNullable<string>("error"));
}
