using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Recaps.Benchmarks.Workspace;
using Recaps.Testing;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Telemetry;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// <c>sync</c>: changes per second drained from the outbox through the sync to an in-memory Temporal,
/// on a local PostgreSQL that syncs every commit to disk. The backlog is one create per schedule
/// (10,000 by default). Target: ≥ 1,000 changes/s.
/// </summary>
internal static class SyncLoad
{
    public const string Mode = "sync";

    // Only Schedules, Concurrency (Temporal calls in flight) and PoolSize apply to this mode.
    public static readonly LoadOptions Defaults = new(Schedules: 10_000, WarmupRounds: 0, Rounds: 1, Concurrency: 8, PoolSize: 8, HistoryDays: 0);

    public static Task<int> RunAsync(LoadOptions options) =>
        LoadRun.OnDatabaseAsync(options.WorkerConnectionString, async (_, dataSource, cancellationToken) =>
        {
            await CreateBacklogAsync(dataSource, options.Schedules, cancellationToken);

            var gateway = new InMemoryTemporalGateway();
            await using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
            var sync = Service(dataSource, gateway, options.Concurrency, meters);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var elapsed = Stopwatch.StartNew();
            var tried = await sync.ProcessPendingOnceAsync(cancellationToken);
            elapsed.Stop();
            var processCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

            var perSecond = tried / elapsed.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

                | changes | concurrency | pool | elapsed s | changes/s | sync CPU ms/change |
                |---:|---:|---:|---:|---:|---:|
                | {tried} | {options.Concurrency} | {options.PoolSize} | {elapsed.Elapsed.TotalSeconds:F2} | {perSecond:F0} | {processCpu.TotalMilliseconds / tried:F3} |

                target ≥ 1,000 changes/s: {LoadRun.Verdict(perSecond >= 1_000)}
                """));
            return await VerifyAsync(dataSource, gateway, options.Schedules, cancellationToken) ? 0 : 1;
        });

    /// <summary>The sync as the worker composes it, over <paramref name="gateway"/>, with <paramref name="concurrency"/> Temporal calls in flight.</summary>
    public static ScheduleSyncService Service(NpgsqlDataSource dataSource, ITemporalScheduleGateway gateway, int concurrency, IServiceProvider meters)
    {
        var syncOptions = Options.Create(new SyncOptions { Concurrency = concurrency });
        return new ScheduleSyncService(
            dataSource,
            new ScheduleChangeApplier(
                gateway, new ScheduleOwner(dataSource, syncOptions), TimeZoneData.BuiltIn, Options.Create(new RecapsOptions()), Options.Create(new TemporalOptions()), SystemClock.Instance),
            new OutboxListener(dataSource.ConnectionString),
            syncOptions,
            SystemClock.Instance,
            new RecapsMetrics(meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TimeZoneData.BuiltIn),
            NullLogger<ScheduleSyncService>.Instance);
    }

    /// <summary>Schedules in zones and at times as users pick them, created through the repository, so each writes its outbox row.</summary>
    public static async Task<StoredSchedule[]> CreateBacklogAsync(NpgsqlDataSource dataSource, int count, CancellationToken cancellationToken)
    {
        var mix = new ScheduleMix(seed: 11);
        var intents = Enumerable.Range(0, count).Select(_ => new ScheduleIntent(
            "Daily digest", mix.NextDays(), mix.NextTime(), mix.NextZoneId(), ChannelMode.AllUnreads, [],
            Recurring: true, ExtractiveRecapGenerator.Name, null)).ToArray();
        var schedules = new ScheduleRepository(dataSource, SystemClock.Instance);
        var creating = Stopwatch.StartNew();
        var created = new StoredSchedule[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, token) => created[i] = await schedules.CreateAsync($"user-{i:D5}", intents[i], token));
        Console.WriteLine($"backlog: {count} schedules created in {creating.Elapsed.TotalSeconds:F1} s, one pending change each");
        return created;
    }

    private static async Task<bool> VerifyAsync(NpgsqlDataSource dataSource, InMemoryTemporalGateway gateway, int expected, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var count = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM schedule_outbox WHERE processed_at IS NULL),
                   (SELECT count(*) FROM schedules WHERE sync_state <> 'synced')
            """, connection);
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (unprocessed, unsynced) = (reader.GetInt64(0), reader.GetInt64(1));
        var creates = gateway.Calls.Count(c => c.Operation == "create");
        Console.WriteLine($"verified: {unprocessed} unprocessed changes, {unsynced} schedules not synced, {creates} Temporal creates for {expected} schedules");
        return unprocessed == 0 && unsynced == 0 && creates == expected;
    }
}
