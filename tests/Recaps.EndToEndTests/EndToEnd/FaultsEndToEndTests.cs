using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Recaps.Api.Schedules;
using Recaps.Testing;
using Recaps.Tests.Api;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// Faults on the real server: a process killed, Temporal or PostgreSQL restarted, a schedule deleted
/// by hand. Nothing accepted is lost, nothing is done twice.
/// </summary>
[Collection(FaultsGroup.Name)]
public class FaultsEndToEndTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    /// <summary>The activity type of generation: its method's name without Async.</summary>
    private const string Generation = "GenerateRecap";

    [Fact]
    public async Task WorkerProcess_KilledMidGeneration_RestartedWorkerCompletesTheRunOnce()
    {
        var server = temporal.Require();
        await using var world = EndToEndWorld.WithoutWorker(server, await postgres.Server.CreateDatabaseAsync());
        var client = await server.ConnectAsync();
        var killed = WorkerProcess.Start(world.WorkerSettings);
        WorkerProcess? restarted = null;
        try
        {
            using var alice = await RunsEndToEndTests.SeededAsync(world);
            var id = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id();
            string runId;
            var clock = new Stopwatch();
            await using (await HoldAsync(world.Api.Database, "posts"))
            {
                runId = await RunsEndToEndTests.RunNowAsync(alice, id);
                var workflowId = TemporalScheduleSpecTranslator.RunNowWorkflowId(Guid.Parse(id), Guid.Parse(runId));
                var generating = await PendingActivityAsync(client, workflowId, Generation, "generation to start", g => g.State == PendingActivityState.Started);
                Assert.Equal(1, generating.Attempt);

                await killed.KillAsync();
                clock.Start();
                restarted = WorkerProcess.Start(world.WorkerSettings);
            }

            var run = await EndToEndWorld.RunAsync(alice, id, $"run-now {runId}", r => r.Id() == runId, "completed");
            TestContext.Current.TestOutputHelper?.WriteLine($"From the kill to the completed run: {clock.Elapsed}");

            var recap = Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
            Assert.Equal(run.Text("recapId"), recap.Id());
            RunsEndToEndTests.AssertRecapOfTheSeededPost(recap);
            Assert.Single((await alice.GetJsonAsync($"/v1/schedules/{id}/runs")).GetProperty("items").EnumerateArray());
            Assert.Equal(1, (await alice.GetJsonAsync($"/v1/schedules/{id}")).GetProperty("runCount").GetInt32());
            var outcome = await client.GetWorkflowHandle(run.Text("workflowId")).GetResultAsync<RecapOutcome>();
            Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Completed, Guid.Parse(runId), Guid.Parse(recap.Id()), null), outcome);
        }
        finally
        {
            // The processes first: their reconcilers would recreate what is deleted.
            await killed.DisposeAsync();
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }

            await EndToEndWorld.DeleteTemporalSchedulesAsync(client, world.Api.Database);
        }
    }

    [Fact]
    public async Task TemporalServer_DownWhileUsersChangeSchedules_ApiAcceptsAndTheChangesReachItInOrderAfterItRestarts()
    {
        await using var server = await RestartableTemporalServer.StartAsync(temporal.Require().Cli);
        await using var world = await EndToEndWorld.StartAsync(server.Server, await postgres.Server.CreateDatabaseAsync());
        await world.Api.ChannelAsync("dev", "alice");
        using var alice = world.Api.As("alice");
        var updated = await EndToEndWorld.CreateSyncedAsync(alice, ScheduleBodies.Weekdays("dev"));
        var paused = await EndToEndWorld.CreateSyncedAsync(alice, ScheduleBodies.Weekdays("dev"));
        var deleted = await EndToEndWorld.CreateSyncedAsync(alice, ScheduleBodies.Weekdays("dev"));
        string created, createdAndDeleted, runId;

        await server.StopAsync();
        var clock = Stopwatch.StartNew();
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await alice.PutAtAsync($"/v1/schedules/{updated}", ScheduleBodies.Weekdays("dev").With("timeOfDay", "10:30"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/schedules/{paused}/pause", new { reason = "on holiday" })).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAtAsync($"/v1/schedules/{deleted}")).StatusCode);
            // Three changes of one schedule Temporal has never seen: applied out of order, they would leave another spec or no pause.
            created = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id();
            Assert.Equal(HttpStatusCode.OK, (await alice.PutAtAsync($"/v1/schedules/{created}", ScheduleBodies.Weekdays("dev").With("timeOfDay", "11:15"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/schedules/{created}/pause", new { reason = "not yet" })).StatusCode);
            // Applied out of order, the create would come after the delete and leave a schedule behind.
            createdAndDeleted = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id();
            Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAtAsync($"/v1/schedules/{createdAndDeleted}")).StatusCode);
            runId = await RunsEndToEndTests.RunNowAsync(alice, updated);

            foreach (var id in new[] { updated, paused, created })
            {
                await Eventually.UntilAsync(
                    $"schedule {id} to wait for Temporal, showing why",
                    () => alice.GetJsonAsync($"/v1/schedules/{id}"),
                    schedule => schedule.GetProperty("sync") is var sync && sync.Text("state") == "pending" && sync.GetProperty("error").ValueKind == JsonValueKind.String);
            }
        }
        finally
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"Temporal down for {clock.Elapsed}");
            await server.StartAsync();
        }

        clock.Restart();
        await Eventually.UntilAsync("every change to reach Temporal", () => PendingChangesAsync(world.Api.Database), count => count == 0);
        TestContext.Current.TestOutputHelper?.WriteLine($"From the restart to an empty outbox: {clock.Elapsed}");

        foreach (var id in new[] { updated, paused, created })
        {
            await AssertTemporalIsIntentAsync(world, await EndToEndWorld.SyncedAsync(alice, id));
        }

        foreach (var id in new[] { deleted, createdAndDeleted })
        {
            var handle = world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(id)));
            Assert.Equal("NotFound", await SchedulesEndToEndTests.DescribeOutcomeAsync(handle));
        }

        // The run asked for while Temporal was down starts once it is back, on the worker that polled through the outage.
        await EndToEndWorld.RunAsync(alice, updated, $"run-now {runId}", r => r.Id() == runId, "completed");
    }

    [Fact]
    public async Task Postgres_RestartedMidGeneration_RetriedActivitiesCompleteTheRunOnceAndTheSyncResumes()
    {
        await using var cluster = await ThrowawayPostgres.StartAsync();
        Assert.SkipUnless(cluster.OwnsCluster, $"{ThrowawayPostgres.ExternalDatabaseVariable} points at a server this test must not restart.");
        await using var world = await EndToEndWorld.StartAsync(temporal.Require(), await cluster.CreateDatabaseAsync());
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = await EndToEndWorld.CreateSyncedAsync(alice, ScheduleBodies.Weekdays("dev"));
        string runId;
        var clock = new Stopwatch();
        await using (await HoldAsync(world.Api.Database, "posts"))
        {
            runId = await RunsEndToEndTests.RunNowAsync(alice, id);
            var workflowId = TemporalScheduleSpecTranslator.RunNowWorkflowId(Guid.Parse(id), Guid.Parse(runId));
            await PendingActivityAsync(world.Temporal, workflowId, Generation, "generation to start", g => g.State == PendingActivityState.Started);

            await cluster.StopAsync();
            clock.Start();
            try
            {
                // The attempt in flight loses its connection and fails; Temporal schedules the next.
                var retrying = await PendingActivityAsync(world.Temporal, workflowId, Generation, "generation to fail and be retried", g => g.Attempt > 1 && g.LastFailure is not null);
                TestContext.Current.TestOutputHelper?.WriteLine($"Generation failed with: {retrying.LastFailure.Message}");
            }
            finally
            {
                await cluster.StartServerAsync();
            }
        }

        // A call that meets a connection the restart broke answers 503 with Retry-After, as a client is told to retry.
        await Eventually.UntilAsync("the API to answer again", () => alice.GetAtAsync($"/v1/schedules/{id}"), response => response.StatusCode == HttpStatusCode.OK);
        var run = await EndToEndWorld.RunAsync(alice, id, $"run-now {runId}", r => r.Id() == runId, "completed");
        TestContext.Current.TestOutputHelper?.WriteLine($"From the stop to the completed run: {clock.Elapsed}");
        var recap = Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
        Assert.Equal(run.Text("recapId"), recap.Id());
        RunsEndToEndTests.AssertRecapOfTheSeededPost(recap);
        Assert.Equal(1, (await alice.GetJsonAsync($"/v1/schedules/{id}")).GetProperty("runCount").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/schedules/{id}/pause", new { reason = "after the restart" })).StatusCode);
        await AssertTemporalIsIntentAsync(world, await EndToEndWorld.SyncedAsync(alice, id));
    }

    [Fact]
    public async Task TemporalSchedule_DeletedByHand_ReconcilerRecreatesItWithTheOwnerMark()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        await world.Api.ChannelAsync("dev", "alice");
        using var alice = world.Api.As("alice");
        var id = await EndToEndWorld.CreateSyncedAsync(alice, ScheduleBodies.Weekdays("dev"));
        var handle = world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(id)));
        var first = (await handle.DescribeAsync()).Info.CreatedAt;

        await TemporalOperator.DeleteAsync(world, handle.Id);
        await Eventually.UntilAsync($"Temporal schedule {handle.Id} to be recreated", () => SchedulesEndToEndTests.DescribeOutcomeAsync(handle), o => o == "found");

        Assert.NotEqual(first, (await handle.DescribeAsync()).Info.CreatedAt);
        await AssertTemporalIsIntentAsync(world, await EndToEndWorld.SyncedAsync(alice, id));
    }

    /// <summary>
    /// The Temporal schedule is what the API shows the sync writes for the schedule's intent (spec,
    /// policy, pause), and carries this deployment's owner mark, so the reconciler keeps managing it.
    /// </summary>
    private static async Task AssertTemporalIsIntentAsync(EndToEndWorld world, JsonElement schedule)
    {
        var intended = schedule.GetProperty("temporal");
        var scheduleId = intended.Text("scheduleId");
        var described = await world.Temporal.GetScheduleHandle(scheduleId).DescribeAsync();

        // On the server: the tzdb in the workflow memo, and the horizon as the last year the calendars reach.
        var action = (ScheduleActionStartWorkflow)described.Schedule.Action;
        var onServer = TemporalScheduleView.From(scheduleId, described.Schedule) with
        {
            Tzdb = await ((IEncodedRawValue)action.Options.Memo!["tzdb"]).ToValueAsync<string>(),
            SpecUntil = new DateTime(described.Schedule.Spec.Calendars.Max(c => c.Year.Single().End) + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        };
        Assert.Equal(intended.GetRawText(), JsonSerializer.Serialize(onServer, JsonSerializerOptions.Web));
        var pausedByUser = schedule.Text("status") == "paused";
        Assert.Equal(pausedByUser, described.Schedule.State.Paused);
        Assert.Equal(pausedByUser, PauseNotes.IsUsers(described.Schedule.State.Note));
        Assert.Equal(await world.Services.GetRequiredService<ScheduleOwner>().IdAsync(ApiCalls.Cancel), await TemporalScheduleMapping.OwnerAsync(described.Memo));
    }

    /// <summary>
    /// Holds whatever first touches <paramref name="table"/> until the returned connection is disposed (its
    /// transaction then rolls back): <c>posts</c> holds generation where it reads a channel's posts, as a slow
    /// chat source would (nothing a specific-channel run does before it reads them); <c>recap_deliveries</c>
    /// holds the routing of a stored recap.
    /// </summary>
    internal static async Task<NpgsqlConnection> HoldAsync(NpgsqlDataSource database, string table)
    {
        // Unpooled, so closing it after the server was restarted under it just drops it.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ApiCalls.Cancel);
        await using var command = new NpgsqlCommand($"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE", connection);
        await command.ExecuteNonQueryAsync(ApiCalls.Cancel);
        return connection;
    }

    /// <summary>The workflow's pending activity of <paramref name="activityType"/>, once <paramref name="done"/> holds for it (as the Web UI shows it).</summary>
    internal static async Task<PendingActivityInfo> PendingActivityAsync(
        ITemporalClient client, string workflowId, string activityType, string what, Func<PendingActivityInfo, bool> done)
    {
        // The raw call: the SDK's description does not expose the pending activities.
        var request = new DescribeWorkflowExecutionRequest { Namespace = client.Options.Namespace, Execution = new() { WorkflowId = workflowId } };
        var description = await Eventually.UntilAsync($"{what} in {workflowId}", DescribeAsync, d => Pending(d) is { } generation && done(generation));
        return Pending(description)!;

        async Task<DescribeWorkflowExecutionResponse?> DescribeAsync()
        {
            try
            {
                return await client.WorkflowService.DescribeWorkflowExecutionAsync(request);
            }
            catch (RpcException error) when (error.Code == RpcException.StatusCode.NotFound)
            {
                // The sync has not started it yet.
                return null;
            }
        }

        PendingActivityInfo? Pending(DescribeWorkflowExecutionResponse? description) =>
            description?.PendingActivities.SingleOrDefault(a => a.ActivityType.Name == activityType);
    }

    private static async Task<long> PendingChangesAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM schedule_outbox WHERE processed_at IS NULL");
        return (long)(await command.ExecuteScalarAsync(ApiCalls.Cancel))!;
    }
}

/// <summary>
/// The fault tests share a server of their own, so they run beside the other end-to-end collection;
/// those that stop Temporal or PostgreSQL start their own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultsGroup : ICollectionFixture<TemporalServerFixture>
{
    public const string Name = "Faults end to end";
}
