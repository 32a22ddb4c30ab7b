using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Recaps.Testing;
using Recaps.Workflows.Storage;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// <c>pipeline</c>: occurrences per second through the three activities of a recap run against a
/// local PostgreSQL that syncs every commit to disk. Target: ≥ 300 occurrences/s on 2 cores.
/// </summary>
internal static class PipelineLoad
{
    public const string Mode = "pipeline";

    // Five warm-up rounds: on two busy cores the JIT needs that long to finish tiering up the hot
    // paths (the report shows what it still compiled while measuring). 32 occurrences in flight, as
    // a worker's activity slots allow, share a pool of 8 connections: more backends than that on two
    // cores only add contention inside PostgreSQL (its CPU per occurrence grows with them).
    public static readonly LoadOptions Defaults = new(Schedules: 1_000, WarmupRounds: 5, Rounds: 3, Concurrency: 32, PoolSize: 8, HistoryDays: 14);

    public static async Task<int> RunAsync(LoadOptions options)
    {
        using var interruption = Interruption.Listen();
        var cancellationToken = interruption.Token;
        try
        {
            await using var postgres = await ThrowawayPostgres.StartAsync(PostgresDurability.Durable);
            var connectionString = await postgres.CreateDatabaseAsync();
            Console.WriteLine(MachineReport.Describe());
            Console.WriteLine($"load average before: {MachineReport.LoadAverage()}");
            var seeding = Stopwatch.StartNew();
            await using (var dataSource = RecapsDataSource.Create(connectionString))
            {
                Console.WriteLine(await MachineReport.DescribeServerAsync(dataSource, cancellationToken));
                await WorkspaceSeeder.SeedAsync(dataSource, options, cancellationToken);
            }

            Console.WriteLine($"seeded {options.Schedules} schedules × {LoadOptions.ChannelsPerSchedule} channels of {options.Channels} in {seeding.Elapsed.TotalSeconds:F1} s");

            using var host = WorkerHost.Build(WorkerHost.Settings(options.WorkerConnectionString(connectionString)));
            await host.StartAsync(cancellationToken);
            var plan = await OccurrencePlan.LoadAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), options, cancellationToken);
            var pipeline = new ActivityPipeline(host.Services);
            var postgresCpu = await PostgresCpu.FindAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), cancellationToken);

            var warmup = await OccurrenceLoad.RunAsync(pipeline, plan.Rounds.Take(options.WarmupRounds), options.Concurrency, cancellationToken);
            Console.WriteLine($"warm-up: {warmup.Occurrences} occurrences at {warmup.PerSecond:F0}/s, {warmup.JitMethods} methods JIT-compiled in {warmup.JitTime.TotalSeconds:F1} s");
            var machineBefore = MachineReport.MachineCpu();
            var postgresBefore = postgresCpu?.Used() ?? TimeSpan.Zero;
            var measured = await OccurrenceLoad.RunAsync(pipeline, plan.Rounds.Skip(options.WarmupRounds), options.Concurrency, cancellationToken);
            var postgresUsed = (postgresCpu?.Used() ?? TimeSpan.Zero) - postgresBefore;
            var machineAfter = MachineReport.MachineCpu();

            Report(options, measured, postgresUsed, MachineReport.BusyShare(machineBefore, machineAfter));
            Console.WriteLine($"load average after: {MachineReport.LoadAverage()} (other processes on the machine count too)");
            await host.StopAsync(CancellationToken.None);
            return Verify(measured) ? 0 : 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted; the throwaway cluster was removed.");
            return 130;
        }
    }

    private static void Report(LoadOptions options, LoadResult measured, TimeSpan postgresCpu, double machineBusy)
    {
        var perOccurrence = (double)measured.Occurrences;
        var cpuPerOccurrence = (measured.ProcessCpu + postgresCpu).TotalMilliseconds / perOccurrence;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

            | occurrences | concurrency | pool | elapsed s | occurrences/s | p50 ms | p95 ms | p99 ms | messages/recap | worker CPU ms/occ | postgres CPU ms/occ | machine CPU busy |
            |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
            | {measured.Occurrences} | {options.Concurrency} | {options.PoolSize} | {measured.Elapsed.TotalSeconds:F2} | {measured.PerSecond:F0} | {measured.Percentile(50):F1} | {measured.Percentile(95):F1} | {measured.Percentile(99):F1} | {measured.MinMessages}–{measured.MaxMessages} | {measured.ProcessCpu.TotalMilliseconds / perOccurrence:F2} | {postgresCpu.TotalMilliseconds / perOccurrence:F2} | {machineBusy:F0} % |

            JIT while measuring: {measured.JitMethods} methods, {measured.JitTime.TotalSeconds:F2} s
            CPU per occurrence (worker + postgres): {cpuPerOccurrence:F2} ms, so two otherwise idle cores could do about {2_000 / cpuPerOccurrence:F0} occurrences/s
            target ≥ 300 occurrences/s: {(measured.PerSecond >= 300 ? "PASS" : "FAIL")}
            """));
    }

    private static bool Verify(LoadResult measured)
    {
        if (measured.Skipped == 0 && measured.MinMessages == LoadOptions.ExpectedMessagesPerRecap && measured.MaxMessages == LoadOptions.ExpectedMessagesPerRecap)
        {
            return true;
        }

        Console.Error.WriteLine(
            $"The workload was not as designed: {measured.Skipped} skipped, {measured.MinMessages}–{measured.MaxMessages} messages per recap (expected {LoadOptions.ExpectedMessagesPerRecap}).");
        return false;
    }
}
