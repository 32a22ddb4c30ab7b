using System.Text.Json;
using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Storage;

/// <summary>
/// The run history. Its concerns each have a file: claims of occurrences (RunRepository.Claims, with
/// <see cref="RunAbandonment"/> for the take-over of abandoned runs), how runs end (RunRepository.Endings),
/// run-now requests (RunRepository.RunNow); the decisions are the domain's (<see cref="RunLifecycle"/>,
/// <see cref="OccurrenceClaim"/>, <see cref="OneTimeCompletion"/>), storage reads under its locks and persists them.
/// </summary>
public sealed partial class RunRepository(NpgsqlDataSource dataSource, IClock clock, TimeZoneData zones, OutboxWakeups? wakeups = null)
{
    public async Task<StoredRun?> GetAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await RunRows.FindAsync(connection, "id = $1", [runId], cancellationToken);
    }

    public async Task<StoredRun?> GetByWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await RunRows.FindAsync(connection, "workflow_id = $1", [workflowId], cancellationToken);
    }

    /// <summary>The schedule's run history, newest first, at most <paramref name="limit"/> rows.</summary>
    public async Task<IReadOnlyList<StoredRun>> ListAsync(Guid scheduleId, int limit = int.MaxValue, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql(
            $"SELECT {RunRows.Columns} FROM schedule_runs WHERE schedule_id = $1 ORDER BY nominal_time DESC, created_at DESC LIMIT $2", scheduleId, limit);
        return await command.ReadAllAsync(RunRows.Read, cancellationToken);
    }

    /// <summary>Stores the channel list of a claimed run once; later calls get the first list, so retries agree.</summary>
    public async Task<IReadOnlyList<RecapChannel>> FixChannelsAsync(Guid runId, IReadOnlyList<RecapChannel> channels, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // COALESCE keeps a list an earlier attempt stored; RETURNING hands back whichever list is stored.
        await using var update = connection.Sql(
            "UPDATE schedule_runs SET channels = COALESCE(channels, $2) WHERE id = $1 RETURNING channels",
            runId, SqlCommands.Jsonb(JsonSerializer.Serialize(channels, RecapsDataConverter.JsonOptions)));
        var stored = await update.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<List<RecapChannel>>(json, RecapsDataConverter.JsonOptions)
            : null;
        return stored ?? throw new InvalidOperationException($"Run {runId} has no channels after they were stored.");
    }
}
