using Npgsql;

namespace Recaps.Workflows.Storage;

public static class RecapsDataSource
{
    /// <summary>A data source that maps <c>timestamptz</c> to NodaTime <c>Instant</c> and <c>time</c> to <c>LocalTime</c>.</summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNodaTime();
        return builder.Build();
    }
}
