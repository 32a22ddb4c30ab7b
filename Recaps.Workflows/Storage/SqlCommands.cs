using Npgsql;
using NpgsqlTypes;

namespace Recaps.Workflows.Storage;

/// <summary>Positional-parameter commands (<c>$1</c>, <c>$2</c> …) so SQL reads as it runs.</summary>
internal static class SqlCommands
{
    public static NpgsqlCommand Sql(this NpgsqlConnection connection, string sql, params object?[] args)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(args.Select(Parameter).ToArray());
        return command;
    }

    /// <summary>Every row, mapped by <paramref name="read"/>.</summary>
    public static Task<List<T>> ReadAllAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken) =>
        command.ReadAllAsync(_ => 0, (reader, _) => read(reader), cancellationToken);

    /// <summary>Every row, mapped by <paramref name="read"/> with what <paramref name="prepare"/> found once in the result (its column ordinals).</summary>
    public static async Task<List<T>> ReadAllAsync<TResult, T>(
        this NpgsqlCommand command, Func<NpgsqlDataReader, TResult> prepare, Func<NpgsqlDataReader, TResult, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var prepared = prepare(reader);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader, prepared));
        }

        return rows;
    }

    /// <summary>The first row mapped by <paramref name="read"/>, or null when there is none.</summary>
    public static async Task<T?> ReadFirstAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    /// <summary>A statement of an <see cref="NpgsqlBatch"/>: several go to the server in one round trip.</summary>
    public static NpgsqlBatchCommand BatchSql(string sql, params object?[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(args.Select(Parameter).ToArray());
        return command;
    }

    /// <summary>
    /// States as an SQL list of literals, for a statement that must name them itself (a conditional
    /// update decided in one statement, a partial index's predicate); the set comes from a Domain rule.
    /// </summary>
    public static string Literals<T>(IEnumerable<T> values, Func<T, string> toText) => string.Join(", ", values.Select(v => $"'{toText(v)}'"));

    private static NpgsqlParameter Parameter(object? arg) => arg as NpgsqlParameter ?? new NpgsqlParameter { Value = arg ?? DBNull.Value };

    public static NpgsqlParameter Jsonb(string? json) => new() { Value = (object?)json ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    public static NpgsqlParameter Text(string? text) => new() { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    /// <summary>The column named <paramref name="name"/>: readers name what they read, so a column added or moved cannot shift them.</summary>
    public static T Get<T>(this NpgsqlDataReader reader, string name) => reader.GetFieldValue<T>(reader.GetOrdinal(name));

    public static T? GetNullable<T>(this NpgsqlDataReader reader, string name) => reader.GetNullable<T>(reader.GetOrdinal(name));

    public static T? GetNullableValue<T>(this NpgsqlDataReader reader, string name)
        where T : struct =>
        reader.GetNullableValue<T>(reader.GetOrdinal(name));

    public static T? GetNullable<T>(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? default : reader.GetFieldValue<T>(ordinal);

    public static T? GetNullableValue<T>(this NpgsqlDataReader reader, int ordinal)
        where T : struct =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
}
