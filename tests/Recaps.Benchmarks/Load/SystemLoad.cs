using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using Recaps.Benchmarks.Api;
using Recaps.Workflows.RecapRuns;
using Temporalio.Client;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// <c>system</c>: the whole of Recaps on a real Temporal server with N schedules due in the same
/// minute, beside the raw baseline in the same run. Each arm gets a fresh dev server from the CLI.
/// Raw: N plain schedules and a workflow of three no-op activities on an SDK worker with default
/// options. Recaps: the Release builds of Recaps.Api and Recaps.Worker as processes of their own,
/// the schedules created through <c>POST /v1/schedules</c> and put on the server by the worker's
/// sync, recaps generated from a seeded workspace into a durable PostgreSQL. Reports the sync rate,
/// nominal time → stored (raw: → closed) p50/p99/max, duplicates, missing, and CPU and memory per process.
/// Targets (issue 17): Recaps' max delay ≤ 1.05 × raw's; no duplicate, none missing; worker VmHWM ≤ 250 MB.
/// </summary>
internal static class SystemLoad
{
    public const string Mode = "system";

    // Only Schedules, Concurrency (creates in flight, raw and through the API) and PoolSize (the worker's connections) apply.
    public static readonly LoadOptions Defaults = new(Schedules: 1_000, WarmupRounds: 0, Rounds: 1, Concurrency: 32, PoolSize: 16, HistoryDays: 0);

    private const double DelayTarget = 1.05;
    private const double WorkerRssTargetMb = 250;

    private static readonly string[] EveryDay = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public static Task<int> RunAsync(LoadOptions options)
    {
        var cli = LoadRun.FindTemporalCli();
        return LoadRun.OnDatabaseAsync(connectionString => connectionString, async (connectionString, dataSource, cancellationToken) =>
        {
            // Posts for two days back and an hour ahead: every recap's 24-hour window is full, whenever its minute falls.
            var now = SystemClock.Instance.GetCurrentInstant();
            var channels = await WorkspaceSeeder.SeedChatAsync(dataSource, options, now - Duration.FromDays(2), now + Duration.FromHours(1), cancellationToken);

            var raw = await RawArmAsync(cli, options, cancellationToken);
            var recaps = await RecapsArmAsync(cli, options, connectionString, dataSource, channels, cancellationToken);
            return Report(options, raw, recaps) ? 0 : 1;
        }, cli);
    }

    private static async Task<Arm> RawArmAsync(string cli, LoadOptions options, CancellationToken cancellationToken)
    {
        await using var server = await DevServer.StartAsync(cli, cancellationToken);
        using var worker = RawTemporalApp.Worker(server.Client);
        using var stopWorker = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var working = worker.ExecuteAsync(stopWorker.Token);
        ProcessMeter[] meters = [server.Meter(), new("raw worker (this process)", () => Environment.CpuUsage.TotalTime, ProcessMemory.Read)];
        var started = meters.Select(m => m.Read()).ToArray();

        // Raw creates ran at 50–100/s on a quiet dev server (slower as it fills): 30/s and a minute of slack.
        var due = DueMinute.After(Duration.FromSeconds(60 + (options.Schedules / 30)));
        var creating = Stopwatch.StartNew();
        await ForEachAsync(options, (i, token) => RawTemporalApp.CreateScheduleAsync(server.Client, $"raw-{i:D5}", due, token), cancellationToken);
        var createRate = options.Schedules / creating.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw: {options.Schedules} schedules created at {createRate:F1}/s, due {due}"));

        var (written, ran) = await RunDueMinuteAsync(
            "raw workflows closed", options, due, meters, token => CountClosedAsync(server.Client, nameof(RawRecapWorkflow), token), cancellationToken);
        var closed = await ClosedRunsAsync(server.Client, nameof(RawRecapWorkflow), RawTemporalApp.ScheduledBy.Name, options.Schedules, cancellationToken);
        await stopWorker.CancelAsync();
        await IgnoringCancellation(working);
        return new Arm("raw Temporal", createRate, null, due, closed.Delays, closed.Delays, closed.Duplicates, closed.Missing, Uses(meters, started, written, ran));
    }

    private static async Task<Arm> RecapsArmAsync(
        string cli, LoadOptions options, string connectionString, NpgsqlDataSource dataSource, string[][] channels, CancellationToken cancellationToken)
    {
        await using var server = await DevServer.StartAsync(cli, cancellationToken);
        await using var worker = await RecapsProcess.StartAsync("Recaps.Worker", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Recaps"] = options.WorkerConnectionString(connectionString),
            ["Temporal__Address"] = server.Address,
        }, cancellationToken);
        await using var api = await RecapsProcess.StartAsync("Recaps.Api", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Recaps"] = connectionString,
            ["Temporal__Address"] = server.Address,
            ["Auth__SigningKey"] = BenchmarkTokens.SigningKey,
        }, cancellationToken);
        var postgresCpu = await PostgresCpu.FindAsync(dataSource, cancellationToken);
        ProcessMeter[] meters =
        [
            server.Meter(), new("Recaps.Worker", worker.Cpu, worker.Memory), new("Recaps.Api", api.Cpu, api.Memory),
            new("PostgreSQL (all its processes)", () => postgresCpu?.Used() ?? TimeSpan.Zero, () => null),
            new("load generator (this process)", () => Environment.CpuUsage.TotalTime, ProcessMemory.Read),
        ];
        var started = meters.Select(m => m.Read()).ToArray();

        // Creates through the API (~200/s), then the sync at a dev server's create rate (~50/s when quiet): 20/s and 90 s of slack.
        var due = DueMinute.After(Duration.FromSeconds(90 + (options.Schedules / 20)));
        var timetables = DueMinute.Timetables(options.Schedules, due);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency }) { BaseAddress = api.Address };
        var creating = Stopwatch.StartNew();
        await ForEachAsync(options, (i, token) => CreateThroughApiAsync(http, i, timetables[i], channels[i], token), cancellationToken);
        var createRate = options.Schedules / creating.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Recaps: {options.Schedules} schedules created through the API at {createRate:F1}/s, due {due}"));
        await DueMinute.WaitForAsync("schedules synced", options.Schedules, token => ScalarAsync(dataSource, "SELECT count(*) FROM schedules WHERE sync_state = 'synced'", token), cancellationToken);
        var syncSeconds = await ScalarAsync<double>(dataSource, "SELECT extract(epoch FROM max(processed_at) - min(created_at))::float8 FROM schedule_outbox", cancellationToken);
        var syncRate = options.Schedules / syncSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Recaps: synced from the first create to the last schedule written in {syncSeconds:F1} s ({syncRate:F1}/s)"));

        var (written, ran) = await RunDueMinuteAsync("recaps stored", options, due, meters, async token =>
        {
            var stored = await ScalarAsync(dataSource, "SELECT count(*) FROM recaps", token);
            // Done when every recap is stored and every run's workflow (delivery follows the recap) has closed.
            return stored < options.Schedules ? stored : Math.Min(stored, await CountClosedAsync(server.Client, nameof(RecapWorkflow), token));
        }, cancellationToken);
        var closed = await ClosedRunsAsync(server.Client, nameof(RecapWorkflow), "TemporalScheduledById", options.Schedules, cancellationToken);
        var stored = await StoredDelaysAsync(dataSource, cancellationToken);
        var duplicates = await ScalarAsync(dataSource, "SELECT count(*) - count(DISTINCT schedule_id) FROM recaps", cancellationToken);
        var missing = await ScalarAsync(dataSource, "SELECT count(*) FROM schedules s WHERE NOT EXISTS (SELECT 1 FROM recaps r WHERE r.schedule_id = s.id)", cancellationToken);
        var skipped = await ScalarAsync(dataSource, "SELECT count(*) FROM schedule_runs WHERE status <> 'completed'", cancellationToken);
        Console.WriteLine($"Recaps: {duplicates} duplicate recaps, {missing} schedules without one, {skipped} runs not completed; " +
            $"Temporal: {closed.Duplicates} schedules started twice, {closed.Missing} never started");
        return new Arm("Recaps", createRate, syncRate, due, stored, closed.Delays, duplicates + closed.Duplicates, missing + closed.Missing, Uses(meters, started, written, ran));
    }

    private static async Task CreateThroughApiAsync(HttpClient http, int index, DueTimetable timetable, string[] channels, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/schedules")
        {
            Headers = { Authorization = new("Bearer", BenchmarkTokens.For(WorkspaceSeeder.UserId(index))) },
            Content = JsonContent.Create(new
            {
                title = "Daily digest",
                daysOfWeek = EveryDay,
                timeOfDay = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Format(timetable.Local),
                timeZone = timetable.ZoneId,
                channelMode = "specific",
                channelIds = channels,
                recurring = true,
                agent = "extractive",
            }),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /v1/schedules answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>
    /// The due minute: each process read once the schedules are written (just before it), the runs
    /// waited for, each read again; returns the two readings.
    /// </summary>
    private static async Task<(ProcessReading[] Written, ProcessReading[] Ran)> RunDueMinuteAsync(
        string what, LoadOptions options, Instant due, ProcessMeter[] meters, Func<CancellationToken, Task<long>> done, CancellationToken cancellationToken)
    {
        var ready = due - Duration.FromSeconds(5);
        if (SystemClock.Instance.GetCurrentInstant() > ready)
        {
            throw new InvalidOperationException($"The schedules were not all written 5 s before {due}: the lead is too short for this machine.");
        }

        await DueMinute.UntilAsync(ready, cancellationToken);
        var written = meters.Select(m => m.Read()).ToArray();
        await DueMinute.WaitForAsync(what, options.Schedules, done, cancellationToken);
        return (written, meters.Select(m => m.Read()).ToArray());
    }

    private static ProcessUse[] Uses(ProcessMeter[] meters, ProcessReading[] started, ProcessReading[] written, ProcessReading[] ran) =>
        [.. meters.Select((m, i) => new ProcessUse(m.Name, started[i], written[i], ran[i]))];

    private static async Task<long> CountClosedAsync(ITemporalClient client, string workflowType, CancellationToken cancellationToken) =>
        (await client.CountWorkflowsAsync($"WorkflowType = '{workflowType}' AND ExecutionStatus = 'Completed'", new() { Rpc = new() { CancellationToken = cancellationToken } })).Count;

    /// <summary>Every closed run as the server's visibility lists it: nominal → closed, and schedules started more than once or never.</summary>
    private static async Task<(Delays Delays, long Duplicates, long Missing)> ClosedRunsAsync(
        ITemporalClient client, string workflowType, string scheduledBy, int schedules, CancellationToken cancellationToken)
    {
        var delays = new List<double>();
        var bySchedule = new Dictionary<string, int>(StringComparer.Ordinal);
        var scheduledByKey = Temporalio.Common.SearchAttributeKey.CreateKeyword(scheduledBy);
        await foreach (var run in client.ListWorkflowsAsync($"WorkflowType = '{workflowType}'", new() { Rpc = new() { CancellationToken = cancellationToken } }))
        {
            var schedule = run.TypedSearchAttributes.Get(scheduledByKey);
            bySchedule[schedule] = bySchedule.GetValueOrDefault(schedule) + 1;
            if (run.CloseTime is { } closeTime)
            {
                delays.Add((closeTime - run.TypedSearchAttributes.Get(RecapWorkflow.ScheduledStartTime).UtcDateTime).TotalSeconds);
            }
        }

        return (new Delays([.. delays]), bySchedule.Values.Sum(count => count - 1), schedules - bySchedule.Count);
    }

    private static async Task<Delays> StoredDelaysAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT extract(epoch FROM r.created_at - s.nominal_time)::float8 FROM recaps r JOIN schedule_runs s ON s.id = r.run_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var delays = new List<double>();
        while (await reader.ReadAsync(cancellationToken))
        {
            delays.Add(reader.GetDouble(0));
        }

        return new Delays([.. delays]);
    }

    private static Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken) =>
        ScalarAsync<long>(dataSource, sql, cancellationToken);

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static Task ForEachAsync(LoadOptions options, Func<int, CancellationToken, Task> create, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, options.Schedules),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (i, token) => await create(i, token));

    private static async Task IgnoringCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // The worker was stopped on purpose.
        }
    }

    private static bool Report(LoadOptions options, Arm raw, Arm recaps)
    {
        var delayRatio = recaps.Done.Max / raw.Done.Max;
        var worker = recaps.Processes.Single(p => p.Name == "Recaps.Worker").Ran.Memory!.VmHwmKb / 1024.0;
        var clean = raw.Duplicates + raw.Missing + recaps.Duplicates + recaps.Missing == 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

            {options.Schedules} schedules due in one minute (jitter {DueMinute.Jitter.TotalSeconds:F0} s), {options.Concurrency} creates in flight; load average after: {MachineReport.LoadAverage()}

            | arm | creates/s | sync/s | due (UTC) | nominal → done p50 s | p99 s | max s | nominal → workflow closed max s | duplicates | missing |
            |---|---:|---:|---|---:|---:|---:|---:|---:|---:|
            {raw.Row()}
            {recaps.Row()}

            ("done" is the recap stored for Recaps, the workflow closed for raw; Recaps' workflow then routes the delivery.)

            {Processes(raw, options.Schedules)}

            {Processes(recaps, options.Schedules)}

            max delay: {delayRatio:F2} × raw (target ≤ {DelayTarget:F2} ×): {LoadRun.Verdict(delayRatio <= DelayTarget)}
            duplicates and missing: {raw.Duplicates + recaps.Duplicates} and {raw.Missing + recaps.Missing} (target 0): {LoadRun.Verdict(clean)}
            Recaps.Worker VmHWM: {worker:F1} MB (target ≤ {WorkerRssTargetMb} MB): {LoadRun.Verdict(worker <= WorkerRssTargetMb)}
            """));
        return clean;
    }

    private static string Processes(Arm arm, int runs) => $"""
        {arm.Name}:
        {ProcessUse.Header}
        {string.Join("\n", arm.Processes.Select(p => p.Row(runs)))}
        """;

    private sealed record Arm(
        string Name, double CreatesPerSecond, double? SyncPerSecond, Instant Due, Delays Done, Delays Closed, long Duplicates, long Missing, IReadOnlyList<ProcessUse> Processes)
    {
        public string Row() => string.Create(CultureInfo.InvariantCulture,
            $"| {Name} | {CreatesPerSecond:F1} | {(SyncPerSecond is { } sync ? sync.ToString("F1", CultureInfo.InvariantCulture) : "—")} | {Due} | {Done.Cells()} | {Closed.Max:F1} | {Duplicates} | {Missing} |");
    }
}
