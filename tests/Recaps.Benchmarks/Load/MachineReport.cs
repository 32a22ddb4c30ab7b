using System.Runtime;
using System.Runtime.InteropServices;
using Npgsql;

namespace Recaps.Benchmarks.Load;

/// <summary>What a load run prints about where it ran: the machine, the runtime, and PostgreSQL's durability settings.</summary>
internal static class MachineReport
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"machine: {Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), " +
            $"{RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC";
    }

    public static async Task<string> DescribeServerAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var settings = new List<string>();
        foreach (var name in (string[])["fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "shared_buffers"])
        {
            await using var show = new NpgsqlCommand($"SHOW {name}", connection);
            settings.Add($"{name}={await show.ExecuteScalarAsync(cancellationToken)}");
        }

        return $"postgres: {connection.PostgreSqlVersion}, {string.Join(", ", settings)}";
    }

    /// <summary>The 1, 5 and 15 minute load averages: a shared machine shows here.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";

    /// <summary>Percentage of the whole machine's CPU time spent busy between two readings; other processes count too.</summary>
    public static double BusyShare((long Busy, long Total) before, (long Busy, long Total) after) =>
        after.Total == before.Total ? 0 : 100.0 * (after.Busy - before.Busy) / (after.Total - before.Total);

    /// <summary>Busy and total CPU time of the whole machine so far, from <c>/proc/stat</c>.</summary>
    public static (long Busy, long Total) MachineCpu()
    {
        if (!File.Exists("/proc/stat"))
        {
            return (0, 0);
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(long.Parse).ToArray();
        var idle = fields[3] + fields[4]; // idle + iowait
        return (fields.Sum() - idle, fields.Sum());
    }
}
