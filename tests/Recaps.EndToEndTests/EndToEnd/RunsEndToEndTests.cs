using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Recaps.Tests.Api;
using Recaps.Tests.RecapRuns;
using Recaps.Workflows.Generation;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;
using Temporalio.Api.Enums.V1;

namespace Recaps.Tests.EndToEnd;

/// <summary>Recaps made by RecapWorkflow on a real worker, started the ways Temporal starts them.</summary>
[Collection(EndToEndGroup.Name)]
public class RunsEndToEndTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    [Fact]
    public async Task RunNow_ThroughTheApi_StoresOneRecapAndCompletesTheRun()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await SeededAsync(world);
        var id = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id();

        var runId = await RunNowAsync(alice, id);
        var run = await EndToEndWorld.RunAsync(alice, id, $"run-now {runId}", r => r.Id() == runId, "completed");

        Assert.Equal(TemporalScheduleSpecTranslator.RunNowWorkflowId(Guid.Parse(id), Guid.Parse(runId)), run.Text("workflowId"));
        var recap = Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
        Assert.Equal(run.Text("recapId"), recap.Id());
        Assert.Equal(runId, recap.Text("runId"));
        AssertRecapOfTheSeededPost(recap);
        var outcome = await RecordedHistories.CompletedAsync(world.Temporal, run.Text("workflowId"), "run-now-completed");
        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Completed, Guid.Parse(runId), Guid.Parse(recap.Id()), null), outcome);
    }

    [Fact]
    public async Task RunNow_StillQueuedWhenTheUserPauses_IsRecordedSkippedWithThePauseReasonAndStoresNoRecap()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await SeededAsync(world);
        var id = await EndToEndWorld.CreateSyncedAsync(alice, ScheduleBodies.Weekdays("dev"));
        // No sync running: the run-now waits in the outbox, as it would while Temporal is unreachable.
        await world.StopWorkerAsync();
        var runId = await RunNowAsync(alice, id);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/schedules/{id}/pause", new { reason = "on holiday" })).StatusCode);

        await world.StartWorkerAsync();
        var run = await EndToEndWorld.RunAsync(alice, id, $"run-now {runId}", r => r.Id() == runId, "skipped");

        Assert.Equal("paused by the user: on holiday", run.Text("reason"));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("recapId").ValueKind);
        Assert.Empty((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
        var outcome = await world.Temporal.GetWorkflowHandle(run.Text("workflowId")).GetResultAsync<RecapOutcome>();
        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Skipped, Guid.Parse(runId), null, "paused by the user: on holiday"), outcome);
    }

    [Fact]
    public async Task FallBackNight_BackfilledWhole_StartsOneRunAtTheFirst0130()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await SeededAsync(world);
        var body = ScheduleBodies.Weekdays("dev")
            .With("daysOfWeek", ScheduleBodies.List("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"))
            .With("timeOfDay", "01:30");
        var id = await EndToEndWorld.CreateSyncedAsync(alice, body);
        var handle = world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(id)));
        // 01:30 happened twice in New York on 1 November 2026 (05:30Z in EDT, 06:30Z in EST). A plain
        // wall-clock calendar fires both; the compiled spec has the first only.
        var night = new Interval(Instant.FromUtc(2026, 11, 1, 4, 0), Instant.FromUtc(2026, 11, 1, 8, 0));
        var earlier = Instant.FromUtc(2026, 11, 1, 5, 30);

        var matching = await TemporalScheduleGateway.MatchingTimesAsync(world.Temporal, handle.Id, night, ApiCalls.Cancel);
        // Allowing overlaps, so a second fire would start beside the first rather than be dropped.
        await handle.BackfillAsync([new(night.Start.ToDateTimeUtc(), night.End.ToDateTimeUtc(), ScheduleOverlapPolicy.AllowAll)]);
        var run = await EndToEndWorld.RunAsync(alice, id, "the 01:30 EDT fire", r => EndToEndWorld.NominalTime(r) == earlier, "completed");

        // Listed times include the jitter (one second in these tests).
        Assert.InRange(Assert.Single(matching) - earlier, Duration.Zero, Duration.FromSeconds(1));
        var started = (await handle.DescribeAsync()).Info.RecentActions.Select(a => Instant.FromDateTimeUtc(DateTime.SpecifyKind(a.ScheduledAt, DateTimeKind.Utc)));
        Assert.InRange(Assert.Single(started, night.Contains) - earlier, Duration.Zero, Duration.FromSeconds(1));
        Assert.Equal(RecapWorld.ScheduledWorkflowId(Guid.Parse(id), earlier), run.Text("workflowId"));
        Assert.Single((await alice.GetJsonAsync($"/v1/schedules/{id}/runs")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task WorkerStoppedMidGeneration_CompletesTheRunOnTheNextWorker()
    {
        var stalling = new StallingRecapGenerator();
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, services =>
        {
            services.RemoveAll<RecapGenerators>();
            services.AddSingleton(new RecapGenerators([stalling]));
        });
        using var alice = await SeededAsync(world);
        var id = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id();

        var runId = await RunNowAsync(alice, id);
        await stalling.Started.Task.WaitAsync(Eventually.Deadline, ApiCalls.Cancel);
        await world.StopWorkerAsync();
        await world.StartWorkerAsync();
        var run = await EndToEndWorld.RunAsync(alice, id, $"run-now {runId}", r => r.Id() == runId, "completed");

        var recap = Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
        Assert.Equal(run.Text("recapId"), recap.Id());
        AssertRecapOfTheSeededPost(recap);
        // Its GenerateRecap completed on a second attempt, on another worker: a history no builder would guess.
        var outcome = await RecordedHistories.CompletedAsync(world.Temporal, run.Text("workflowId"), "run-now-after-worker-restart");
        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Completed, Guid.Parse(runId), Guid.Parse(recap.Id()), null), outcome);
    }

    /// <summary>Alice's client, with a channel she reads and one post in it.</summary>
    internal static async Task<HttpClient> SeededAsync(EndToEndWorld world)
    {
        await world.Api.ChannelAsync("dev", "alice", "bob");
        await world.Api.PostAsync("dev", "bob", "Deploy is blocked: alice please review the migration by Friday");
        return world.Api.As("alice");
    }

    internal static async Task<string> RunNowAsync(HttpClient user, string scheduleId)
    {
        var response = await user.PostAtAsync($"/v1/schedules/{scheduleId}/run");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).Text("runId");
    }

    internal static void AssertRecapOfTheSeededPost(JsonElement recap)
    {
        Assert.Equal("completed", recap.Text("status"));
        var channel = Assert.Single(recap.GetProperty("channels").EnumerateArray());
        Assert.Equal("dev", channel.Text("channelId"));
        Assert.Equal(1, channel.GetProperty("messageCount").GetInt32());
    }
}
