using System.Text.Json;
using NodaTime;
using Npgsql;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Storage;

/// <summary>How a schedule_runs row is selected and read.</summary>
internal static class RunRows
{
    public const string Columns = """
        id, schedule_id, occurrence_key, nominal_time, workflow_id, status, reason, window_start, window_end,
        channels, recap_id, error, created_at, completed_at
        """;

    /// <summary>
    /// The statuses for an <c>IN (…)</c> list of a statement that filters on them itself (a conditional
    /// update, a partial index's predicate); the set comes from <see cref="RunLifecycle"/>.
    /// </summary>
    public static string Literals(IEnumerable<RunStatus> statuses) => SqlCommands.Literals(statuses, RunStatusText.ToText);

    public static async Task<StoredRun?> FindAsync(NpgsqlConnection connection, string where, object[] args, CancellationToken cancellationToken)
    {
        await using var command = connection.Sql($"SELECT {Columns} FROM schedule_runs WHERE {where}", args);
        return await command.ReadFirstAsync(Read, cancellationToken);
    }

    public static StoredRun Read(NpgsqlDataReader reader) => new(
        reader.Get<Guid>("id"),
        reader.Get<Guid>("schedule_id"),
        reader.Get<string>("occurrence_key"),
        reader.Get<Instant>("nominal_time"),
        reader.Get<string>("workflow_id"),
        RunStatusText.Parse(reader.Get<string>("status")),
        reader.GetNullable<string>("reason"),
        reader.GetNullableValue<Instant>("window_start"),
        reader.GetNullableValue<Instant>("window_end"),
        reader.GetNullable<string>("channels") is { } channels ? JsonSerializer.Deserialize<List<RecapChannel>>(channels, RecapsDataConverter.JsonOptions) : null,
        reader.GetNullableValue<Guid>("recap_id"),
        reader.GetNullable<string>("error"),
        reader.Get<Instant>("created_at"),
        reader.GetNullableValue<Instant>("completed_at"));
}
