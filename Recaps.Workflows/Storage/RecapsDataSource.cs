using System.Data.Common;
using Npgsql;

namespace Recaps.Workflows.Storage;

public static class RecapsDataSource
{
    /// <summary>Statements a connection keeps prepared; Recaps runs a few dozen distinct ones.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// A data source that maps <c>timestamptz</c> to NodaTime <c>Instant</c> and <c>time</c> to
    /// <c>LocalTime</c>, tuned for many short statements. A connection string that sets
    /// <c>Max Auto Prepare</c> or <c>No Reset On Close</c> keeps its own value.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };

        // Every statement is a constant string run on every recap run. Prepared once per pooled
        // connection, PostgreSQL stops parsing and planning it each time, a large share of its CPU
        // for statements this short. (0 turns it off, e.g. behind a pooler without prepared statements.)
        if (!Sets(written, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        // A recap run opens a pooled connection a dozen times; resetting the session on each return
        // costs the server several statements. Recaps never changes session state (no SET, LISTEN,
        // temp tables or session advisory locks), so there is nothing to reset.
        if (!Sets(written, "No Reset On Close", "NoResetOnClose"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        builder.UseNodaTime();
        return builder.Build();
    }

    // Npgsql's own builder reports every known keyword as present; the plain one tells what was written.
    private static bool Sets(DbConnectionStringBuilder written, params string[] keywords) => keywords.Any(written.ContainsKey);
}
