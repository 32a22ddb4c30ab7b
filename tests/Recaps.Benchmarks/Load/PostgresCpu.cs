using System.Globalization;
using Npgsql;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// CPU time used by the PostgreSQL cluster (the postmaster, its live backends and helpers, and the
/// children it has reaped), from <c>/proc</c>. Unlike wall time, it says what the database costs
/// per occurrence even when other work shares the machine.
/// </summary>
internal sealed class PostgresCpu(int postmasterId)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static async Task<PostgresCpu?> FindAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SHOW data_directory", connection);
        var pidFile = Path.Combine((string)(await command.ExecuteScalarAsync(cancellationToken))!, "postmaster.pid");
        return File.Exists(pidFile) ? new PostgresCpu(int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture)) : null;
    }

    public TimeSpan Used()
    {
        long ticks = 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                // Fields after the command name, which may contain spaces: [1] = ppid, [11..14] = utime, stime, cutime, cstime.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (id == postmasterId)
                {
                    ticks += fields[11..15].Sum(long.Parse);
                }
                else if (int.Parse(fields[1], CultureInfo.InvariantCulture) == postmasterId)
                {
                    ticks += fields[11..13].Sum(long.Parse);
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked; its time is in the postmaster's cutime now.
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
