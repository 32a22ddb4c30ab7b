using Npgsql;
using Recaps.DevTools;
using Recaps.Testing;
using Recaps.Workflows.Storage;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// How a load over a throwaway cluster opens and reports: interruptible (<see cref="Interruption"/>),
/// on a fresh database of a durable cluster, after printing where it runs, so every run's figures
/// come with their machine. Disposing the cluster removes it however the run ends.
/// </summary>
internal static class LoadRun
{
    /// <summary>
    /// Runs <paramref name="run"/> with the database's connection string (as <paramref name="shape"/> makes
    /// it from the database's own) and a data source over it; <paramref name="temporalCli"/>, when the load
    /// starts dev servers, is reported too.
    /// </summary>
    public static Task<int> OnDatabaseAsync(
        Func<string, string> shape, Func<string, NpgsqlDataSource, CancellationToken, Task<int>> run, string? temporalCli = null) =>
        Interruption.RunAsync(async cancellationToken =>
        {
            await using var postgres = await ThrowawayPostgres.StartAsync(PostgresDurability.Durable);
            var connectionString = shape(await postgres.CreateDatabaseAsync());
            await using var dataSource = RecapsDataSource.Create(connectionString);
            await DescribeAsync(dataSource, temporalCli, cancellationToken);
            return await run(connectionString, dataSource, cancellationToken);
        });

    /// <summary>Prints where the load runs: the machine, PostgreSQL's durability, the temporal CLI if any, and the load average before.</summary>
    public static async Task DescribeAsync(NpgsqlDataSource dataSource, string? temporalCli, CancellationToken cancellationToken)
    {
        Console.WriteLine(MachineReport.Describe());
        Console.WriteLine(await MachineReport.DescribeServerAsync(dataSource, cancellationToken));
        Console.WriteLine($"{(temporalCli is null ? "" : $"temporal: {temporalCli}; ")}load average before: {MachineReport.LoadAverage()}");
    }

    /// <summary>The temporal CLI whose <c>server start-dev</c> a load's dev servers run.</summary>
    public static string FindTemporalCli() => TemporalCli.Find() ?? throw new InvalidOperationException($"No temporal CLI: set {TemporalCli.Variable}.");

    /// <summary>How a target reads in a report.</summary>
    public static string Verdict(bool passed) => passed ? "PASS" : "FAIL";
}
