using Microsoft.Extensions.Options;
using Npgsql;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Sync;

/// <summary>
/// The owner mark this deployment writes into the memo of every Temporal schedule it creates, and
/// the only mark whose schedules its sync and reconciler change or delete: <c>Recaps:Sync:Owner</c>
/// when set, else the id generated in this deployment's database on first use.
/// </summary>
public sealed class ScheduleOwner(NpgsqlDataSource dataSource, IOptions<SyncOptions> options)
{
    /// <summary>The memo key of the mark (memos, unlike search attributes, need no namespace set-up).</summary>
    public const string MemoKey = "recapsOwner";

    private string? _id;

    public async ValueTask<string> IdAsync(CancellationToken cancellationToken)
    {
        if (_id is { } known)
        {
            return known;
        }

        if (options.Value.Owner is { Length: > 0 } configured)
        {
            return _id = configured;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Whoever inserts first wins; every process, racing or not, then reads that one row.
        await using var command = connection.Sql("""
            INSERT INTO deployment DEFAULT VALUES ON CONFLICT DO NOTHING;
            SELECT id::text FROM deployment
            """);
        return _id = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
