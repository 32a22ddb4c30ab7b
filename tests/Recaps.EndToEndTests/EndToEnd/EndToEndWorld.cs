using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Npgsql;
using Recaps.ServiceDefaults;
using Recaps.Tests.Api;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// One test's Recaps against a real Temporal server: a fresh database, a task queue of its own (so
/// tests sharing the server never run each other's workflows), worker hosts as production builds
/// them (worker, sync and reconciler, on the system clock) and the real API on the same database.
/// </summary>
internal sealed class EndToEndWorld : IAsyncDisposable
{
    private readonly List<IHost> _workers = [];

    private readonly Dictionary<string, string?> _settings;

    private EndToEndWorld(RunningServer server, string connectionString, IReadOnlyDictionary<string, string?>? settings)
    {
        Server = server;
        TaskQueue = $"recaps-e2e-{Guid.NewGuid():N}";
        // Short sync and reconcile intervals, so what Temporal and the database tell each other shows
        // within seconds; little jitter, so a start Temporal delays by it still lands well within a deadline.
        var shared = new Dictionary<string, string?>
        {
            ["Recaps:Schedules:Jitter"] = "00:00:01",
            ["Temporal:Namespace"] = server.Namespace,
            ["Temporal:TaskQueue"] = TaskQueue,
            ["Recaps:Sync:PollInterval"] = "00:00:00.250",
            ["Recaps:Sync:ReconcileInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            shared[key] = value;
        }

        Api = ApiHost.OnSystemClock(connectionString, [.. shared.Select(s => (s.Key, s.Value))]);
        _settings = new(shared)
        {
            ["ConnectionStrings:Recaps"] = connectionString,
            ["Temporal:Address"] = server.Address,
        };
    }

    public RunningServer Server { get; }

    public string TaskQueue { get; }

    public ApiHost Api { get; }

    /// <summary>The Temporal client of the newest worker host, with Recaps' data converter.</summary>
    public ITemporalClient Temporal => _workers[^1].Services.GetRequiredService<ITemporalClient>();

    /// <summary>The newest worker host's services.</summary>
    public IServiceProvider Services => _workers[^1].Services;

    /// <summary>
    /// A world with one worker host running; <paramref name="configure"/> replaces services in it, and
    /// <paramref name="settings"/> add to or override the configuration of its API and workers.
    /// </summary>
    public static async Task<EndToEndWorld> StartAsync(
        TemporalServerFixture temporal, PostgresFixture postgres, Action<IServiceCollection>? configure = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        await StartAsync(temporal.Require(), await postgres.Server.CreateDatabaseAsync(), configure, settings);

    /// <summary>Starts a worker host on the world's task queue; <paramref name="configure"/> replaces services in it.</summary>
    public async Task StartWorkerAsync(Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.AddRecapsCore();
        builder.AddRecapsWorker();
        builder.AddRecapsSync();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        _workers.Add(host);
        await host.StartAsync(ApiCalls.Cancel);
    }

    /// <summary>This deployment's owner mark, which its Temporal schedules carry.</summary>
    public Task<string> MarkAsync() => Services.GetRequiredService<ScheduleOwner>().IdAsync(ApiCalls.Cancel).AsTask();

    /// <summary>One reconcile pass of the newest worker host, now rather than at its next interval.</summary>
    public Task<bool> ReconcileOnceAsync() =>
        Services.GetServices<IHostedService>().OfType<ScheduleReconciler>().Single().ReconcileOnceAsync(ApiCalls.Cancel);

    /// <summary>Creates a schedule through the API and waits until the sync has put it on Temporal; returns its id.</summary>
    public static async Task<string> CreateSyncedAsync(HttpClient user, object body)
    {
        var id = (await user.CreateScheduleAsync(body)).Id();
        await SyncedAsync(user, id);
        return id;
    }

    /// <summary>A run's nominal time, as the runs API shows it.</summary>
    public static Instant NominalTime(JsonElement run) => Instant.FromDateTimeOffset(run.GetProperty("nominalTime").GetDateTimeOffset());

    /// <summary>The user's schedule once the sync has applied its latest change to Temporal.</summary>
    public static Task<JsonElement> SyncedAsync(HttpClient user, string scheduleId) => Eventually.UntilAsync(
        $"schedule {scheduleId} to be synced to Temporal",
        () => user.GetJsonAsync($"/v1/schedules/{scheduleId}"),
        schedule => schedule.GetProperty("sync").Text("state") == "synced");

    /// <summary>The one run <paramref name="which"/> picks, once it is <paramref name="status"/> (within <paramref name="deadline"/>, default <see cref="Eventually.Deadline"/>).</summary>
    public static async Task<JsonElement> RunAsync(
        HttpClient user, string scheduleId, string what, Func<JsonElement, bool> which, string status, TimeSpan? deadline = null)
    {
        var runs = await Eventually.UntilAsync(
            $"{what} of schedule {scheduleId} to be {status}",
            () => user.GetJsonAsync($"/v1/schedules/{scheduleId}/runs"),
            list => list.GetProperty("items").EnumerateArray().Any(run => which(run) && run.Text("status") == status),
            deadline);
        return Assert.Single(runs.GetProperty("items").EnumerateArray(), run => which(run));
    }

    /// <summary>
    /// A shared server outlives the test: its schedules would go on firing into a task queue no
    /// worker serves, and pile up workflows that never run.
    /// </summary>
    public static async Task DeleteTemporalSchedulesAsync(ITemporalClient temporal, NpgsqlDataSource database)
    {
        await using var ids = database.CreateCommand("SELECT id FROM schedules");
        await using var reader = await ids.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            try
            {
                await temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(reader.GetGuid(0))).DeleteAsync();
            }
            catch (RpcException error) when (error.Code == RpcException.StatusCode.NotFound)
            {
                // Deleted by the test, or never synced.
            }
        }
    }

    /// <summary>Stops the newest worker host gracefully, as a deployment stops a process.</summary>
    public async Task StopWorkerAsync()
    {
        var worker = _workers[^1];
        _workers.Remove(worker);
        await worker.StopAsync(ApiCalls.Cancel);
        worker.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.StopAsync(CancellationToken.None);
        }

        // After the reconcilers stopped, which would recreate what is deleted.
        if (_workers.Count > 0)
        {
            await DeleteTemporalSchedulesAsync(Temporal, Api.Database);
        }

        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        await Api.DisposeAsync();
    }

    /// <summary>
    /// A world on a server or database of the test's own (one it stops and starts, say), with one
    /// worker host running; <paramref name="configure"/> replaces services in it, and <paramref name="settings"/>
    /// add to or override the configuration of its API and workers.
    /// </summary>
    public static async Task<EndToEndWorld> StartAsync(
        RunningServer server, string connectionString, Action<IServiceCollection>? configure = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var world = WithoutWorker(server, connectionString, settings);
        await world.StartWorkerAsync(configure);
        return world;
    }

    /// <summary>
    /// A world whose workers the test runs itself, as processes configured with <see cref="WorkerSettings"/>;
    /// with no worker host, stopping them and deleting the Temporal schedules is the test's to do.
    /// </summary>
    public static EndToEndWorld WithoutWorker(RunningServer server, string connectionString, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(server, connectionString, settings);

    /// <summary>The configuration every worker of this world runs with.</summary>
    public IReadOnlyDictionary<string, string?> WorkerSettings => _settings;
}
