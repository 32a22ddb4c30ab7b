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
    public async Task SameOccurrence_FiredTwiceOnAFallBackNight_StoresOneRecapAndSkipsTheSecond()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await SeededAsync(world);
        var body = ScheduleBodies.Weekdays("dev")
            .With("daysOfWeek", ScheduleBodies.List("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"))
            .With("timeOfDay", "01:30");
        var id = await EndToEndWorld.CreateSyncedAsync(alice, body);
        var handle = world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(id)));
        // 01:30 happened twice in New York on 2 November 2025 (EDT, then EST): Temporal fires both,
        // under two workflow ids, and both are the occurrence of that local date.
        var earlier = Instant.FromUtc(2025, 11, 2, 5, 30);
        var later = Instant.FromUtc(2025, 11, 2, 6, 30);

        await handle.BackfillAsync([TemporalScheduleMapping.Backfill(earlier)]);
        var first = await EndToEndWorld.RunAsync(alice, id, "the 01:30 EDT fire", r => EndToEndWorld.NominalTime(r) == earlier, "completed");
        // The run is completed before its workflow closes, and a backfill with the Skip overlap policy is
        // dropped while the schedule still counts an action running (seen on a loaded machine).
        await Eventually.UntilAsync(
            $"the 01:30 EDT fire's workflow to close in {handle.Id}", async () => (await handle.DescribeAsync()).Info.RunningActions.Count, running => running == 0);
        await handle.BackfillAsync([TemporalScheduleMapping.Backfill(later)]);
        var second = await EndToEndWorld.RunAsync(alice, id, "the 01:30 EST fire", r => EndToEndWorld.NominalTime(r) == later, "skipped");

        Assert.Equal(RecapWorld.ScheduledWorkflowId(Guid.Parse(id), earlier), first.Text("workflowId"));
        Assert.Equal(RecapWorld.ScheduledWorkflowId(Guid.Parse(id), later), second.Text("workflowId"));
        Assert.StartsWith("duplicate occurrence", second.Text("reason"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("recapId").ValueKind);
        var recap = Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
        Assert.Equal(first.Text("recapId"), recap.Id());
        Assert.Equal(1, (await alice.GetJsonAsync($"/v1/schedules/{id}")).GetProperty("runCount").GetInt32());
        var outcome = await RecordedHistories.CompletedAsync(world.Temporal, second.Text("workflowId"), "fall-back-second-fire");
        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Skipped, Guid.Parse(second.Id()), null, second.Text("reason")), outcome);
    }

    [Fact]
    public async Task WorkerStoppedMidGeneration_CompletesTheRunOnTheNextWorker()
    {
        var stalling = new StallingRecapGenerator();
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, services =>
        {
            services.RemoveAll<IRecapGenerator>();
            services.AddSingleton<IRecapGenerator>(stalling);
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
