using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using Recaps.Benchmarks.Load;

namespace Recaps.Benchmarks.Api;

/// <summary>
/// <c>api</c>: <c>POST /v1/schedules</c> and <c>GET /v1/schedules</c> (20 items) through the real API
/// process over HTTP with bearer tokens, on a local PostgreSQL that syncs every commit to disk,
/// each against a raw single-row insert/select on the same database in the same run; and the API
/// process's memory under that load. Targets (issue 17, as ratios: the raw operations move with the
/// machine's load as much as the API does): create ≥ 35 % of the raw insert rate, list ≥ 25 % of the
/// raw select rate with p99 ≤ 20 ms, API VmRSS ≤ 200 MB.
/// </summary>
internal static class ApiLoad
{
    public const string Mode = "api";

    private const double CreateShareTarget = 0.35;
    private const double ListShareTarget = 0.25;
    private const double ListP99TargetMs = 20;
    private const double RssTargetMb = 200;

    // More users than a run can fill at the create target's rate: each user gets at most
    // SchedulesPerUser creates, so every create is one the API accepts.
    private const int Users = 20_000;

    private static readonly byte[] CreateBody = Encoding.UTF8.GetBytes("""
        { "title": "Standup digest", "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
          "timeOfDay": "09:00", "timeZone": "America/New_York", "channelMode": "specific", "channelIds": ["dev", "support"],
          "recurring": true, "agent": "extractive", "customInstructions": null }
        """);

    public static Task<int> RunAsync(ApiLoadOptions options) => LoadRun.OnDatabaseAsync(
        database => new NpgsqlConnectionStringBuilder(database) { MaxPoolSize = options.Connections }.ConnectionString,
        async (connectionString, dataSource, cancellationToken) =>
        {
            await SeedChannelsAsync(dataSource, cancellationToken);
            var baseline = new RawBaseline(dataSource);
            await baseline.CreateTableAsync(cancellationToken);

            await using var api = await RecapsProcess.StartAsync("Recaps.Api", new Dictionary<string, string?>
            {
                ["ConnectionStrings__Recaps"] = connectionString,
                ["Auth__SigningKey"] = BenchmarkTokens.SigningKey,
                ["Recaps__Limits__MaxSchedulesPerUser"] = ApiLoadOptions.SchedulesPerUser.ToString(CultureInfo.InvariantCulture),
            }, cancellationToken);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections }) { BaseAddress = api.Address };
            var tokens = Enumerable.Range(0, Users).Select(u => BenchmarkTokens.For(User(u))).ToArray();
            var memoryStarted = api.Memory();
            var postgresCpu = await PostgresCpu.FindAsync(dataSource, cancellationToken);
            var cpu = () => new CpuReading(api.Cpu(), postgresCpu?.Used() ?? TimeSpan.Zero, Environment.CpuUsage.TotalTime);

            var rawInsert = await MeasureAsync("raw insert", options, cpu, baseline.InsertAsync, cancellationToken);
            var created = -1;
            var create = await MeasureAsync("POST /v1/schedules", options, cpu, async (_, token) =>
            {
                var index = Interlocked.Increment(ref created);
                using var request = Request(HttpMethod.Post, tokens[Creator(index, options.Connections)]);
                request.Content = new ByteArrayContent(CreateBody) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
                using var response = await http.SendAsync(request, token);
                return response.StatusCode == HttpStatusCode.Created;
            }, cancellationToken);

            var ids = await baseline.IdsAsync(cancellationToken);
            var rawSelect = await MeasureAsync("raw select", options, cpu, (i, token) => baseline.SelectAsync(ids[i % ids.Length], token), cancellationToken);
            // Only users whose list is full (those of complete blocks): every answer carries SchedulesPerUser items.
            var fullUsers = (created + 1) / (options.Connections * ApiLoadOptions.SchedulesPerUser) * options.Connections;
            var listBytes = 0;
            var list = await MeasureAsync("GET /v1/schedules", options, cpu, async (i, token) =>
            {
                using var request = Request(HttpMethod.Get, tokens[i % fullUsers]);
                using var response = await http.SendAsync(request, token);
                // Parsing every answer would take the load generator's CPU from the API it shares
                // the machine with; one in 64 is read in full and must hold the whole list.
                if (response.StatusCode != HttpStatusCode.OK || i % 64 != 0)
                {
                    return response.StatusCode == HttpStatusCode.OK;
                }

                var body = await response.Content.ReadAsStringAsync(token);
                listBytes = body.Length;
                return CountItems(body) == ApiLoadOptions.SchedulesPerUser;
            }, cancellationToken);
            Console.WriteLine($"a list answer: {listBytes} characters for {ApiLoadOptions.SchedulesPerUser} schedules");
            var memoryAfter = api.Memory();

            Report(options, [rawInsert, create, rawSelect, list], memoryStarted, memoryAfter);
            Console.WriteLine($"load average after: {MachineReport.LoadAverage()} (other processes on the machine count too)");
            return new[] { rawInsert, create, rawSelect, list }.All(r => r.Failures == 0) ? 0 : 1;
        });

    private static string User(int index) => $"user-{index}";

    /// <summary>
    /// The user of the <paramref name="index"/>th create: requests in flight together belong to
    /// different users, as they would in a workspace (one user's creates take that user's lock in
    /// turn), and each block of <c>connections</c> users ends with SchedulesPerUser schedules each.
    /// </summary>
    private static int Creator(int index, int connections) =>
        index / (connections * ApiLoadOptions.SchedulesPerUser) * connections + index % connections;

    private static HttpRequestMessage Request(HttpMethod method, string token) => new(method, "/v1/schedules")
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    private static int CountItems(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("items").GetArrayLength();

    /// <summary>
    /// The warm-up (unmeasured: JIT, pools, caches) and then the measured run of one phase, with
    /// where the CPU went per request: the API process, PostgreSQL, and this load generator.
    /// </summary>
    private static async Task<RateResult> MeasureAsync(
        string name, ApiLoadOptions options, Func<CpuReading> cpu, Func<int, CancellationToken, Task<bool>> call, CancellationToken cancellationToken)
    {
        await RequestLoad.RunAsync(name, options.Connections, TimeSpan.FromSeconds(options.WarmupSeconds), call, cancellationToken);
        var before = cpu();
        var result = await RequestLoad.RunAsync(name, options.Connections, TimeSpan.FromSeconds(options.Seconds), call, cancellationToken);
        var after = cpu();
        double PerRequest(TimeSpan used) => used.TotalMilliseconds * 1000 / result.Requests;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {result.PerSecond:F0}/s, p99 {result.Percentile(99):F1} ms, {result.Failures} failures; CPU per request: API {PerRequest(after.Api - before.Api):F0} µs, " +
            $"PostgreSQL {PerRequest(after.Postgres - before.Postgres):F0} µs, load generator {PerRequest(after.LoadGenerator - before.LoadGenerator):F0} µs"));
        return result;
    }

    private sealed record CpuReading(TimeSpan Api, TimeSpan Postgres, TimeSpan LoadGenerator);

    /// <summary>Two channels every user can read, so a create's channel check reads real memberships.</summary>
    private static async Task SeedChannelsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO channels (id, name, created_at) VALUES ('dev', 'Development', now()), ('support', 'Support', now());
            INSERT INTO channel_members (channel_id, user_id)
            SELECT c, 'user-' || u FROM unnest(ARRAY['dev', 'support']) c, generate_series(0, {Users - 1}) u;
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Report(ApiLoadOptions options, IReadOnlyList<RateResult> phases, ProcessMemory started, ProcessMemory after)
    {
        var (rawInsert, create, rawSelect, list) = (phases[0], phases[1], phases[2], phases[3]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

            {options.Connections} connections; {options.WarmupSeconds} s warm-up, then {options.Seconds} s measured per phase

            {RateResult.Header}
            {rawInsert.Row(null)}
            {create.Row(rawInsert)}
            {rawSelect.Row(null)}
            {list.Row(rawSelect)}

            API process: VmRSS {started.VmRssKb / 1024.0:F1} MB when ready, {after.VmRssKb / 1024.0:F1} MB after the load, peak (VmHWM) {after.VmHwmKb / 1024.0:F1} MB, {after.Threads} threads

            target POST ≥ {CreateShareTarget:P0} of raw insert: {LoadRun.Verdict(create.PerSecond >= CreateShareTarget * rawInsert.PerSecond)}
            target GET ≥ {ListShareTarget:P0} of raw select: {LoadRun.Verdict(list.PerSecond >= ListShareTarget * rawSelect.PerSecond)}; p99 ≤ {ListP99TargetMs} ms: {LoadRun.Verdict(list.Percentile(99) <= ListP99TargetMs)}
            target API VmHWM ≤ {RssTargetMb} MB: {LoadRun.Verdict(after.VmHwmKb / 1024.0 <= RssTargetMb)}
            """));
    }
}
