using NodaTime;
using Recaps.Tests.RecapRuns;
using Recaps.Tests.Sync;
using Temporalio.Testing;

namespace Recaps.Tests.Telemetry;

public class RecapsMetricsTests(PostgresFixture postgres)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CompletedRun_MarkedExecutedTwice_CountsOnceWithItsDeliveryDelay()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        using var metrics = new RecordedMetrics(world.MeterFactory);
        await world.Chat.UpsertChannelAsync("dev", "Dev", ["alice"]);
        var schedule = await world.Schedules.CreateAsync("alice", RecapWorld.Daily(["dev"]), Token);
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        world.Clock.Reset(nominal + Duration.FromSeconds(90));
        var activities = world.Activities();

        var (occurrence, _) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, nominal), activities);
        world.Clock.Advance(Duration.FromMinutes(5));
        await RecapWorld.RunActivity(() => activities.MarkExecutedAsync(new(occurrence.RunId)));

        Assert.Equal(1, metrics.Sum("recaps.recaps.completed"));
        Assert.Equal([90.0], metrics.Of("recaps.delivery.delay"));
        Assert.Empty(metrics.Of("recaps.recaps.failed"));
    }

    [Fact]
    public async Task FailedRun_MarkedFailedTwice_CountsOnce()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        using var metrics = new RecordedMetrics(world.MeterFactory);
        var schedule = await world.Schedules.CreateAsync("alice", RecapWorld.Daily([]), Token);
        var input = RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At);
        var activities = world.Activities();
        await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(input));

        for (var attempt = 0; attempt < 2; attempt++)
        {
            await new ActivityEnvironment().RunAsync(() =>
                activities.MarkFailedAsync(new(schedule.Id, input.WorkflowId, input.NominalTime, "generator exploded")));
        }

        Assert.Equal(1, metrics.Sum("recaps.recaps.failed"));
        Assert.Empty(metrics.Of("recaps.recaps.completed"));
        Assert.Empty(metrics.Of("recaps.delivery.delay"));
    }

    [Fact]
    public async Task RunWithStoredRecap_MarkedFailed_CountsAsCompleted()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        using var metrics = new RecordedMetrics(world.MeterFactory);
        var schedule = await world.Schedules.CreateAsync("alice", RecapWorld.Daily([]), Token);
        var input = RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At);
        world.Clock.Reset(input.NominalTime + Duration.FromSeconds(30));
        var activities = world.Activities();
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(input));
        await RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId)));

        await new ActivityEnvironment().RunAsync(() =>
            activities.MarkFailedAsync(new(schedule.Id, input.WorkflowId, input.NominalTime, "cancelled")));

        Assert.Equal(1, metrics.Sum("recaps.recaps.completed"));
        Assert.Equal([30.0], metrics.Of("recaps.delivery.delay"));
        Assert.Empty(metrics.Of("recaps.recaps.failed"));
    }

    [Fact]
    public async Task MissedOccurrence_ReconciledTwice_CountsOnce()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        using var metrics = new RecordedMetrics(world.World.MeterFactory);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        world.Clock.Reset(RecapWorld.Occurrences(schedule, 1)[0].At + Duration.FromHours(7));

        await world.Reconciler().ReconcileOnceAsync(Token);
        await world.Reconciler().ReconcileOnceAsync(Token);

        Assert.Equal(1, metrics.Sum("recaps.occurrences.missed"));
    }

    [Fact]
    public async Task MissedOccurrence_StaleStartClaimedTwiceAfterTheReconcilerRecordedIt_CountsOnce()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        using var metrics = new RecordedMetrics(world.World.MeterFactory);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        world.Clock.Reset(nominal + Duration.FromHours(7));
        await world.Reconciler().ReconcileOnceAsync(Token);
        var stale = RecapWorld.Scheduled(schedule, nominal) with { WaitedForWorker = TimeSpan.FromHours(7) };
        var activities = world.World.Activities();

        await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(stale));
        await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(stale));

        Assert.Equal(1, metrics.Sum("recaps.occurrences.missed"));
    }

    [Fact]
    public async Task MissedOccurrence_StaleStartClaimedTwice_CountsOnce()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        using var metrics = new RecordedMetrics(world.MeterFactory);
        var schedule = await world.Schedules.CreateAsync("alice", RecapWorld.Daily([]), Token);
        var stale = RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At) with { WaitedForWorker = TimeSpan.FromHours(7) };
        var activities = world.Activities();

        await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(stale));
        await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(stale));

        Assert.Equal(1, metrics.Sum("recaps.occurrences.missed"));
    }

    [Fact]
    public async Task SyncPass_CountsAppliedAndFailedChanges_AndKeepsWhatIsStillPending()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        using var metrics = new RecordedMetrics(world.World.MeterFactory);
        await world.CreateAsync();
        await world.SyncOnceAsync();
        Assert.Equal(0, metrics.Of("recaps.sync.pending")[^1]);

        await world.CreateAsync();
        world.Temporal.FailNext(1);
        await world.SyncOnceAsync();

        Assert.Equal(1, metrics.Sum("recaps.sync.applied"));
        Assert.Equal(1, metrics.Sum("recaps.sync.errors"));
        Assert.Equal(1, metrics.Of("recaps.sync.pending")[^1]);
    }
}
