using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Recaps.ServiceDefaults;
using Temporalio.Client;
using Temporalio.Runtime;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// <c>rss</c>: the resident memory of a worker process after it has processed 10,000 occurrences.
/// Target: VmRSS ≤ 250 MB. This process owns the cluster and seeds it; the measured worker is a
/// child process (<c>rss-worker</c>) that does only what Recaps.Worker does, configured the same
/// way (environment variables), so seeding garbage does not count.
/// </summary>
internal static class WorkerMemoryLoad
{
    public const string Mode = "rss";
    public const string WorkerMode = "rss-worker";
    public const double TargetMb = 250;

    // Ten daily rounds of a thousand schedules, with as many in flight and as many connections as the pipeline run.
    public static readonly LoadOptions Defaults = new(Schedules: 1_000, WarmupRounds: 0, Rounds: 10, Concurrency: 32, PoolSize: 8, HistoryDays: 14);

    public static Task<int> RunAsync(LoadOptions options) =>
        LoadRun.OnDatabaseAsync(connectionString => connectionString, async (connectionString, dataSource, cancellationToken) =>
        {
            await WorkspaceSeeder.SeedAsync(dataSource, options, cancellationToken);
            // The seeding's connections closed: the measured worker process gets the server to itself.
            await dataSource.DisposeAsync();
            return await RunWorkerProcessAsync(options.WorkerConnectionString(connectionString), options, cancellationToken);
        });

    /// <summary>The measured process: a worker host, its Temporal client and runtime, and the load.</summary>
    public static async Task<int> RunWorkerAsync(LoadOptions options)
    {
        using var host = WorkerHost.Build();
        await host.StartAsync();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

        // The worker's client is lazy and no server answers; connecting would start Temporal's
        // native core runtime (the process-wide default: its threads, allocator and connection
        // machinery), which a real worker carries. Start that runtime as the connect would.
        _ = host.Services.GetRequiredService<ITemporalClient>();
        _ = TemporalRuntime.Default;
        var temporalCore = File.ReadLines("/proc/self/maps").Any(line => line.Contains("temporalio_sdk_core", StringComparison.Ordinal));

        var started = ProcessMemory.Read();
        var plan = await OccurrencePlan.LoadAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), options, stopping);
        var load = await OccurrenceLoad.RunAsync(new ActivityPipeline(host.Services), plan.Rounds, options.Concurrency, stopping);
        var afterLoad = ProcessMemory.Read();
        // Reported beside the natural figure, never instead of it: how much of the RSS is garbage
        // the GC had not yet returned.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var afterGc = ProcessMemory.Read();

        Console.WriteLine(MachineReport.Describe());
        Console.WriteLine($"Temporal core runtime loaded: {(temporalCore ? "yes" : "NO")}; {load.Occurrences} occurrences ({load.Skipped} skipped) at {load.PerSecond:F0}/s, concurrency {options.Concurrency}, pool {options.PoolSize}");
        Console.WriteLine();
        Console.WriteLine(ProcessMemory.Header);
        Console.WriteLine(started.Row("host started, client created"));
        Console.WriteLine(afterLoad.Row($"after {load.Occurrences} occurrences"));
        Console.WriteLine(afterGc.Row("then after a forced aggressive GC"));
        Console.WriteLine();
        var passed = afterLoad.VmRssKb / 1024.0 <= TargetMb;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target VmRSS ≤ {TargetMb} MB after the load (no forced GC): {LoadRun.Verdict(passed)}"));

        await host.StopAsync(CancellationToken.None);
        return temporalCore && load.Skipped == 0 && !stopping.IsCancellationRequested ? 0 : 1;
    }

    private static async Task<int> RunWorkerProcessAsync(string connectionString, LoadOptions options, CancellationToken cancellationToken)
    {
        // Started as `dotnet Recaps.Benchmarks.dll` the process path is the dotnet host; as an apphost it is the program.
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var viaDotnet = Path.GetFileNameWithoutExtension(processPath) == "dotnet";
        var start = new ProcessStartInfo(processPath);
        if (viaDotnet)
        {
            start.ArgumentList.Add(typeof(WorkerMemoryLoad).Assembly.Location);
        }

        foreach (var arg in (string[])[WorkerMode, .. options.ToArgs()])
        {
            start.ArgumentList.Add(arg);
        }

        // Configured as a deployed worker is: environment variables over defaults.
        start.Environment[$"ConnectionStrings__{RecapsHostingExtensions.ConnectionStringName}"] = connectionString;
        start.Environment["Temporal__Address"] = WorkerHost.LocalTemporalAddress;
        using var worker = Process.Start(start) ?? throw new InvalidOperationException("Could not start the worker process.");
        try
        {
            await worker.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C reaches the worker too (same process group); SIGTERM to this process alone does not.
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        return worker.ExitCode;
    }
}
