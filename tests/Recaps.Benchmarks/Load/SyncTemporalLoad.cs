using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// <c>sync-temporal</c>: the sync against a real Temporal dev server (the CLI's <c>server start-dev</c>),
/// beside the raw baseline in the same run on an identical fresh server: the same schedules created,
/// then updated, by plain SDK calls with the same number in flight. Phases alternate (raw create,
/// sync create, sync re-sync, raw update) so a machine whose load drifts favours neither. The re-sync
/// is what a tzdb update queues: an upsert of every schedule already on the server. Targets: sync
/// creates ≥ 90 % of the raw rate; the re-sync ≤ 1.2 × the raw update time.
/// </summary>
internal static class SyncTemporalLoad
{
    public const string Mode = "sync-temporal";

    // Only Schedules, Concurrency (Temporal calls in flight, the sync's and the raw client's) and PoolSize apply.
    public static readonly LoadOptions Defaults = new(Schedules: 1_000, WarmupRounds: 0, Rounds: 1, Concurrency: 32, PoolSize: 8, HistoryDays: 0);

    private const double CreateTarget = 0.9;
    private const double ResyncTarget = 1.2;

    private const int MaxRawAttempts = 10;

    public static Task<int> RunAsync(LoadOptions options)
    {
        var cli = LoadRun.FindTemporalCli();
        return LoadRun.OnDatabaseAsync(options.WorkerConnectionString, async (_, dataSource, cancellationToken) =>
        {
            var schedules = await SyncLoad.CreateBacklogAsync(dataSource, options.Schedules, cancellationToken);

            await using var recapsServer = await DevServer.StartAsync(cli, cancellationToken);
            await using var rawServer = await DevServer.StartAsync(cli, cancellationToken);
            await using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
            var sync = SyncLoad.Service(
                dataSource, new TemporalScheduleGateway(recapsServer.Client, Options.Create(new TemporalOptions())), options.Concurrency, meters);
            var now = SystemClock.Instance.GetCurrentInstant();
            var desired = schedules.Select(s => (
                Id: TemporalScheduleSpecTranslator.ScheduleId(s.Id),
                Schedule: TemporalScheduleSpecTranslator.Translate(s, TimeZoneData.BuiltIn, new RecapsOptions().Schedules, TemporalOptions.DefaultTaskQueue, now))).ToArray();
            var memo = new Dictionary<string, object> { [ScheduleOwner.MemoKey] = "raw" };

            var phases = new List<Phase>
            {
                await MeasureAsync("raw create", rawServer, recapsServer, () => ForEachAsync(desired, options.Concurrency, (d, token) =>
                    rawServer.Client.CreateScheduleAsync(d.Id, d.Schedule, new() { Memo = memo, Rpc = new() { CancellationToken = token } }), cancellationToken)),
                await MeasureAsync("sync create", recapsServer, rawServer, () => sync.ProcessPendingOnceAsync(cancellationToken)),
            };
            await QueueResyncAsync(dataSource, cancellationToken);
            phases.Add(await MeasureAsync("sync re-sync", recapsServer, rawServer, () => sync.ProcessPendingOnceAsync(cancellationToken)));
            phases.Add(await MeasureAsync("raw update", rawServer, recapsServer, () => ForEachAsync(desired, options.Concurrency, (d, token) =>
                rawServer.Client.GetScheduleHandle(d.Id).UpdateAsync(_ => new ScheduleUpdate(d.Schedule), new() { CancellationToken = token }), cancellationToken)));

            var (rawCreate, syncCreate, syncResync, rawUpdate) = (phases[0], phases[1], phases[2], phases[3]);
            var createRatio = syncCreate.PerSecond / rawCreate.PerSecond;
            var resyncRatio = syncResync.Seconds / rawUpdate.Seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

                {options.Schedules} schedules, {options.Concurrency} Temporal calls in flight (sync: Recaps:Sync:Concurrency; raw: as many SDK calls), batches of {new SyncOptions().BatchSize}

                | phase | changes | elapsed s | per second | server CPU ms/change | this process CPU ms/change | load average after |
                |---|---:|---:|---:|---:|---:|---|
                {string.Join("\n", phases.Select(p => p.Row()))}

                sync create: {createRatio:P0} of the raw create rate (target ≥ {CreateTarget:P0}): {LoadRun.Verdict(createRatio >= CreateTarget)}
                re-sync: {resyncRatio:F2} × the raw update time (target ≤ {ResyncTarget:F1} ×): {LoadRun.Verdict(resyncRatio <= ResyncTarget)}
                """));
            return await VerifyAsync(dataSource, recapsServer, rawServer, phases, options.Schedules, cancellationToken) ? 0 : 1;
        }, cli);
    }

    /// <summary>What a tzdb update makes the reconciler queue: an upsert of every schedule, as written by <c>ReconcilerStore.QueueAsync</c>.</summary>
    private static async Task QueueResyncAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var queue = dataSource.CreateCommand("""
            UPDATE schedules SET sync_state = 'pending';
            INSERT INTO schedule_outbox (schedule_id, operation, schedule_version, created_at, next_attempt_at)
            SELECT id, 'upsert', version, now(), now() FROM schedules ORDER BY created_at;
            """);
        await queue.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The raw calls, <paramref name="concurrency"/> in flight. A call the server timed out or turned
    /// away is tried again a second later, as any application has to (the sync retries through its
    /// backoff), and a create whose first attempt had landed counts as done: at 10,000 a loaded dev
    /// server times out the odd call, and one must not end the baseline.
    /// </summary>
    private static async Task<int> ForEachAsync<T>(T[] items, int concurrency, Func<T, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var retried = 0;
        await Parallel.ForEachAsync(
            items, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (item, token) =>
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await call(item, token);
                        return;
                    }
                    catch (ScheduleAlreadyRunningException) when (attempt > 1)
                    {
                        return;
                    }
                    catch (RpcException error) when (attempt < MaxRawAttempts && IsTransient(error) && !token.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref retried);
                        await Task.Delay(TimeSpan.FromSeconds(1), token);
                    }
                }
            });
        Console.WriteLine($"raw calls tried again: {retried}");
        return items.Length;
    }

    // The SDK reports its own call timeout ("Timeout expired") as Cancelled.
    private static bool IsTransient(RpcException error) => error.Code == RpcException.StatusCode.Cancelled || SyncBackoff.IsUnreachable(error);

    /// <summary>
    /// Measures one phase once both servers are quiet: a server keeps working for a while after
    /// schedules are written (each schedule's workflow starts), and that would be charged to whichever
    /// phase ran next on the shared cores.
    /// </summary>
    private static async Task<Phase> MeasureAsync(string name, DevServer server, DevServer other, Func<Task<int>> run)
    {
        await Task.WhenAll(server.QuietAsync(), other.QuietAsync());
        var (serverCpu, ownCpu) = (server.Cpu(), Environment.CpuUsage.TotalTime);
        var elapsed = Stopwatch.StartNew();
        var changes = await run();
        elapsed.Stop();
        var phase = new Phase(name, changes, elapsed.Elapsed.TotalSeconds, server.Cpu() - serverCpu, Environment.CpuUsage.TotalTime - ownCpu, MachineReport.LoadAverage());
        Console.WriteLine(phase.Row());
        return phase;
    }

    /// <summary>
    /// Nothing lost or doubled: every change processed, every schedule synced, no change tried twice,
    /// and each server lists exactly the schedules (its visibility store catches up within a minute).
    /// </summary>
    private static async Task<bool> VerifyAsync(
        NpgsqlDataSource dataSource, DevServer recapsServer, DevServer rawServer, IReadOnlyList<Phase> phases, int expected, CancellationToken cancellationToken)
    {
        await using var count = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM schedule_outbox WHERE processed_at IS NULL),
                   (SELECT count(*) FROM schedules WHERE sync_state <> 'synced'),
                   (SELECT count(*) FROM schedule_outbox WHERE attempts <> 1)
            """);
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (unprocessed, unsynced, retried) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        var (recapsListed, rawListed) = (await recapsServer.ListedAsync(expected, cancellationToken), await rawServer.ListedAsync(expected, cancellationToken));
        Console.WriteLine($"verified: {unprocessed} unprocessed changes, {unsynced} schedules not synced, {retried} changes tried more than once; " +
            $"listed: {recapsListed} schedules on the sync's server, {rawListed} on the raw one, for {expected}");
        return unprocessed == 0 && unsynced == 0 && recapsListed == expected && rawListed == expected && phases.All(p => p.Changes == expected);
    }

    private sealed record Phase(string Name, int Changes, double Seconds, TimeSpan ServerCpu, TimeSpan OwnCpu, string LoadAfter)
    {
        public double PerSecond => Changes / Seconds;

        public string Row() => string.Create(CultureInfo.InvariantCulture,
            $"| {Name} | {Changes} | {Seconds:F1} | {PerSecond:F1} | {ServerCpu.TotalMilliseconds / Changes:F2} | {OwnCpu.TotalMilliseconds / Changes:F2} | {LoadAfter} |");
    }
}
