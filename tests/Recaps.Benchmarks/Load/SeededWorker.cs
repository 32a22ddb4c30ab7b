using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Recaps.Testing;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;

namespace Recaps.Benchmarks.Load;

/// <summary>What a measured batch of rounds did, with the CPU PostgreSQL spent on it and how busy the whole machine was.</summary>
internal sealed record Measurement(LoadResult Load, TimeSpan PostgresCpu, double MachineBusy);

/// <summary>
/// What the pipeline modes share: a durable throwaway cluster seeded for <see cref="LoadOptions"/>, the
/// worker's host over it, the occurrences to run, and warm-up then measured rounds through the activities.
/// </summary>
internal sealed class SeededWorker : IAsyncDisposable
{
    private readonly ThrowawayPostgres _postgres;
    private readonly IHost _host;
    private readonly PostgresCpu? _postgresCpu;
    private readonly ActivityPipeline _pipeline;

    private SeededWorker(ThrowawayPostgres postgres, IHost host, PostgresCpu? postgresCpu, OccurrencePlan plan)
    {
        _postgres = postgres;
        _host = host;
        _postgresCpu = postgresCpu;
        _pipeline = new ActivityPipeline(host.Services);
        Plan = plan;
    }

    public OccurrencePlan Plan { get; }

    /// <summary>The worker's own pool.</summary>
    public NpgsqlDataSource DataSource => _host.Services.GetRequiredService<NpgsqlDataSource>();

    /// <param name="options">The workspace to seed and the worker's pool size.</param>
    /// <param name="settings">Configuration for the worker on top of its connection string and Temporal address.</param>
    /// <param name="cancellationToken">Stops seeding.</param>
    public static async Task<SeededWorker> StartAsync(LoadOptions options, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var postgres = await ThrowawayPostgres.StartAsync(PostgresDurability.Durable);
        try
        {
            var connectionString = await postgres.CreateDatabaseAsync();
            var seeding = Stopwatch.StartNew();
            await using (var dataSource = RecapsDataSource.Create(connectionString))
            {
                await LoadRun.DescribeAsync(dataSource, null, cancellationToken);
                await WorkspaceSeeder.SeedAsync(dataSource, options, cancellationToken);
            }

            Console.WriteLine($"seeded {options.Schedules} schedules × {LoadOptions.ChannelsPerSchedule} channels of {options.Channels} in {seeding.Elapsed.TotalSeconds:F1} s");

            var workerSettings = WorkerHost.Settings(options.WorkerConnectionString(connectionString));
            foreach (var (key, value) in settings)
            {
                workerSettings[key] = value;
            }

            var host = WorkerHost.Build(workerSettings);
            await host.StartAsync(cancellationToken);
            var dataSourceOfWorker = host.Services.GetRequiredService<NpgsqlDataSource>();
            return new SeededWorker(
                postgres,
                host,
                await PostgresCpu.FindAsync(dataSourceOfWorker, cancellationToken),
                await OccurrencePlan.LoadAsync(dataSourceOfWorker, options, cancellationToken));
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="rounds"/> unmeasured, so the JIT has tiered up the hot paths (and connections are open) before measuring.</summary>
    public async Task WarmUpAsync(IEnumerable<IReadOnlyList<ResolveChannelsInput>> rounds, int concurrency, CancellationToken cancellationToken)
    {
        var warmup = await OccurrenceLoad.RunAsync(_pipeline, rounds, concurrency, cancellationToken);
        Console.WriteLine($"warm-up: {warmup.Occurrences} occurrences at {warmup.PerSecond:F0}/s, {warmup.JitMethods} methods JIT-compiled in {warmup.JitTime.TotalSeconds:F1} s");
    }

    public async Task<Measurement> MeasureAsync(IEnumerable<IReadOnlyList<ResolveChannelsInput>> rounds, int concurrency, CancellationToken cancellationToken)
    {
        var machineBefore = MachineReport.MachineCpu();
        var postgresBefore = _postgresCpu?.Used() ?? TimeSpan.Zero;
        var measured = await OccurrenceLoad.RunAsync(_pipeline, rounds, concurrency, cancellationToken);
        var postgresUsed = (_postgresCpu?.Used() ?? TimeSpan.Zero) - postgresBefore;
        return new(measured, postgresUsed, MachineReport.BusyShare(machineBefore, MachineReport.MachineCpu()));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        await _postgres.DisposeAsync();
    }
}
