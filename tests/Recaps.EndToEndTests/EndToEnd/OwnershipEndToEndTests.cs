using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recaps.Tests.Api;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.EndToEnd;

/// <summary>Deployments sharing one Temporal namespace, each with its own database: owner marks keep them apart.</summary>
[Collection(EndToEndGroup.Name)]
public class OwnershipEndToEndTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    [Fact]
    public async Task TwoDeployments_OneNamespace_KeepEachOthersSchedulesFireTheirOwnAndRemoveOnlyTheirOwnOrphans()
    {
        await using var a = await EndToEndWorld.StartAsync(temporal, postgres);
        await using var b = await EndToEndWorld.StartAsync(temporal, postgres);
        var deployments = new[] { (World: a, Schedules: await SyncedSchedulesAsync(a)), (World: b, Schedules: await SyncedSchedulesAsync(b)) };
        var orphans = new[] { await OrphanAsync(a, deployments[0].Schedules[0]), await OrphanAsync(b, deployments[1].Schedules[0]) };
        // A schedule deleted by the other deployment would be recreated by its own reconciler within a
        // second, so what shows it was never touched is that it is still the one created first.
        var createdAt = new Dictionary<Guid, DateTime>();
        foreach (var (world, schedules) in deployments)
        {
            foreach (var id in schedules)
            {
                createdAt[id] = (await world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(id)).DescribeAsync()).Info.CreatedAt;
            }
        }

        // Several passes of each, on top of the ones their reconcilers make every second.
        for (var passes = (A: 0, B: 0); passes.A < 3 || passes.B < 3;)
        {
            passes.A += await a.ReconcileOnceAsync() ? 1 : 0;
            passes.B += await b.ReconcileOnceAsync() ? 1 : 0;
        }

        foreach (var (world, schedules) in deployments)
        {
            var mark = await world.MarkAsync();
            foreach (var id in schedules)
            {
                var described = await world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(id)).DescribeAsync();
                Assert.Equal(mark, await TemporalScheduleMapping.OwnerAsync(described.Memo));
                Assert.Equal(createdAt[id], described.Info.CreatedAt);
                Assert.False(described.Schedule.State.Paused);
            }
        }

        foreach (var orphan in orphans)
        {
            await Eventually.UntilAsync($"orphan {orphan.Id} to be deleted by its owner", () => SchedulesEndToEndTests.DescribeOutcomeAsync(orphan), o => o == "NotFound");
        }

        Assert.NotEqual(await a.MarkAsync(), await b.MarkAsync());
        foreach (var (world, schedules) in deployments)
        {
            using var alice = world.Api.As("alice");
            var nominal = YesterdayAtNine();
            await world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(schedules[1])).BackfillAsync([TemporalScheduleMapping.Backfill(nominal)]);
            var run = await EndToEndWorld.RunAsync(
                alice, schedules[1].ToString(), $"the {nominal} occurrence", r => EndToEndWorld.NominalTime(r) == nominal, "completed");
            Assert.Equal(run.Text("recapId"), Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray()).Id());
        }
    }

    [Fact]
    public async Task Adopt_ScheduleFromBeforeOwnerMarks_IsLeftAloneUntilAdoptedThenSyncsWithTheMark()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        var id = (await SyncedSchedulesAsync(world, count: 1))[0];
        // As a version without marks wrote it: the same schedule, no memo; an operator has paused it.
        // Written with the worker stopped, so its reconciler cannot recreate the schedule in between.
        await world.StopWorkerAsync();
        var operatorClient = await TemporalClient.ConnectAsync(new(world.Server.Address) { Namespace = world.Server.Namespace });
        var old = operatorClient.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(id));
        var written = (await old.DescribeAsync()).Schedule;
        await old.DeleteAsync();
        await operatorClient.CreateScheduleAsync(old.Id, written with { State = written.State with { Paused = true, Note = "incident 7" } });
        await world.StartWorkerAsync();
        var handle = world.Temporal.GetScheduleHandle(old.Id);
        using var alice = world.Api.As("alice");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/schedules/{id}/pause", new { reason = "away" })).StatusCode);
        var refused = await Eventually.UntilAsync(
            $"the pause of {id} to be refused", () => alice.GetJsonAsync($"/v1/schedules/{id}"), s => s.GetProperty("sync").Text("state") == "error");
        await world.ReconcileOnceAsync();

        // The documented step: the worker's program with the worker's configuration.
        await using var adoption = WorkerProcess.Start(world.WorkerSettings, ScheduleAdoption.Command);
        var (exitCode, output) = await adoption.ExitAsync();
        var synced = await EndToEndWorld.SyncedAsync(alice, id.ToString());

        Assert.Contains("adopt-schedules", refused.GetProperty("sync").Text("error"), StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
        Assert.Contains($"Adopted (now marked as this deployment's): 1\n  {handle.Id}\n", output, StringComparison.Ordinal);
        var adopted = await handle.DescribeAsync();
        Assert.Equal(await world.MarkAsync(), await TemporalScheduleMapping.OwnerAsync(adopted.Memo));
        // The operator's pause is kept over the user's; the API shows it.
        Assert.Equal((true, "incident 7"), (adopted.Schedule.State.Paused, adopted.Schedule.State.Note));
        Assert.Equal(JsonValueKind.Null, synced.GetProperty("sync").GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task AdoptCommand_UnknownOption_ExitsTwoWithTheUsage()
    {
        await using var adoption = WorkerProcess.Start(new Dictionary<string, string?>(), ScheduleAdoption.Command, "--form", "old");

        var (exitCode, output) = await adoption.ExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("Usage: Recaps.Worker adopt-schedules [--from <owner mark>]", output, StringComparison.Ordinal);
    }

    /// <summary>Alice's schedules (every day, 09:00 New York) in the world, once Temporal has them.</summary>
    private static async Task<Guid[]> SyncedSchedulesAsync(EndToEndWorld world, int count = 2)
    {
        await world.Api.ChannelAsync("dev", "alice", "bob");
        await world.Api.PostAsync("dev", "bob", "Release notes are in the wiki");
        using var alice = world.Api.As("alice");
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            var body = ScheduleBodies.Weekdays("dev").With("title", $"Digest {i}")
                .With("daysOfWeek", ScheduleBodies.List("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"));
            ids[i] = Guid.Parse(await EndToEndWorld.CreateSyncedAsync(alice, body));
        }

        return ids;
    }

    /// <summary>A Temporal schedule with the deployment's mark that its database does not know.</summary>
    private static async Task<ScheduleHandle> OrphanAsync(EndToEndWorld world, Guid template)
    {
        var schedule = (await world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(template)).DescribeAsync()).Schedule;
        var orphan = TemporalScheduleSpecTranslator.ScheduleId(Guid.NewGuid());
        Assert.True(await world.Services.GetRequiredService<ITemporalScheduleGateway>().CreateAsync(orphan, schedule, await world.MarkAsync(), ApiCalls.Cancel));
        return world.Temporal.GetScheduleHandle(orphan);
    }

    private static Instant YesterdayAtNine() =>
        SystemClock.Instance.GetCurrentInstant().InZone(NewYork).Date.PlusDays(-1).At(new LocalTime(9, 0)).InZoneLeniently(NewYork).ToInstant();
}
