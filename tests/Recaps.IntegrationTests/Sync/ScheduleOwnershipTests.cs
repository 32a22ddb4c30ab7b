using Microsoft.Extensions.Options;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;

namespace Recaps.Tests.Sync;

/// <summary>The sync and the reconciler change only schedules with this deployment's owner mark; adoption is explicit.</summary>
public class ScheduleOwnershipTests(PostgresFixture postgres)
{
    private const string OtherDeployment = "another-deployment";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_NewSchedule_CarriesThisDeploymentsMark()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();

        await world.SyncOnceAsync();

        Assert.Equal(await world.MarkAsync(), world.Temporal.OwnerOf(SyncWorld.TemporalId(schedule)));
    }

    [Fact]
    public async Task Owner_TwoDatabases_HaveDifferentMarksEachStable()
    {
        await using var first = await SyncWorld.CreateAsync(postgres);
        await using var second = await SyncWorld.CreateAsync(postgres);

        var mark = await first.MarkAsync();

        Assert.True(Guid.TryParse(mark, out _), mark);
        Assert.NotEqual(mark, await second.MarkAsync());
        Assert.Equal(mark, await new ScheduleOwner(first.World.DataSource, Options.Create(new SyncOptions())).IdAsync(Token));
    }

    [Fact]
    public async Task Owner_Configured_WinsOverTheDatabasesId()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);

        var owner = new ScheduleOwner(world.World.DataSource, Options.Create(new SyncOptions { Owner = "recaps-eu-1" }));

        Assert.Equal("recaps-eu-1", await owner.IdAsync(Token));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" padded ")]
    public void Owner_BlankOrPadded_IsRefusedNamingTheSetting(string owner) =>
        Assert.Contains(new SyncOptions { Owner = owner }.Problems(), p => p.StartsWith("Recaps:Sync:Owner", StringComparison.Ordinal));

    [Theory]
    [InlineData(OtherDeployment)]
    [InlineData(null)]
    public async Task Reconcile_SchedulesNotOwned_AreNeverDeletedOrChanged(string? owner)
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var ours = await world.CreateAsync();
        await world.SyncOnceAsync();
        var template = world.Temporal.Get(SyncWorld.TemporalId(ours))!;
        var theirs = TemporalScheduleSpecTranslator.ScheduleId(Guid.NewGuid());
        world.Temporal.Put(theirs, template, owner);
        world.Temporal.Toggle(theirs, paused: true, "their operator");

        for (var pass = 0; pass < 3; pass++)
        {
            await world.Reconciler().ReconcileOnceAsync(Token);
            await world.SyncOnceAsync();
        }

        Assert.True(world.Temporal.Get(theirs)!.State.Paused);
        Assert.Equal(owner, world.Temporal.OwnerOf(theirs));
        Assert.DoesNotContain(world.Temporal.Calls, c => c.ScheduleId == theirs && c.Operation is not ("list" or "describe"));
        Assert.NotNull(world.Temporal.Get(SyncWorld.TemporalId(ours)));
    }

    [Fact]
    public async Task Reconcile_UnmarkedScheduleOfThisDatabase_ShowsItsOperatorPauseWithoutChangingIt()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        var id = SyncWorld.TemporalId(schedule);
        world.Temporal.Put(id, world.Temporal.Get(id), owner: null);
        world.Temporal.Toggle(id, paused: true, "incident 8");

        await world.Reconciler().ReconcileOnceAsync(Token);
        await world.SyncOnceAsync();

        var shown = await world.GetAsync(schedule.Id);
        Assert.Equal("incident 8", shown.Temporal.OperatorPauseReason);
        Assert.Equal(SyncState.Error, shown.Sync.State);
        Assert.Null(world.Temporal.OwnerOf(id));
        Assert.True(world.Temporal.Get(id)!.State.Paused);
    }

    [Fact]
    public async Task Upsert_TemporalScheduleOfAnotherDeployment_IsRefusedAndShownAsASyncError()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        var theirs = TemporalScheduleSpecTranslator.Translate(schedule, TimeZoneData.BuiltIn, world.World.Options.Schedules, "their-queue", world.Clock.GetCurrentInstant());
        world.Temporal.Put(SyncWorld.TemporalId(schedule), theirs, OtherDeployment);

        await world.SyncOnceAsync();

        var stored = await world.GetAsync(schedule.Id);
        Assert.Equal(SyncState.Error, stored.Sync.State);
        Assert.Contains("belongs to another deployment", stored.Sync.Error, StringComparison.Ordinal);
        Assert.Same(theirs, world.Temporal.Get(SyncWorld.TemporalId(schedule)));
    }

    [Fact]
    public async Task Delete_TemporalScheduleWithoutMark_IsKeptUntilAdopted()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        var id = SyncWorld.TemporalId(schedule);
        world.Temporal.Put(id, world.Temporal.Get(id), owner: null);
        await world.Schedules.DeleteAsync(schedule.Id, Token);

        await world.SyncOnceAsync();
        Assert.NotNull(world.Temporal.Get(id));
        var report = await Adoption(world).AdoptAsync(cancellationToken: Token);

        Assert.Equal([id], report.Deleted);
        Assert.Empty(report.Adopted);
        Assert.Null(world.Temporal.Get(id));
    }

    [Fact]
    public async Task Adopt_UnmarkedSchedules_MarksThisDatabasesKeepsAnOperatorPauseAndLeavesTheRestAlone()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        var id = SyncWorld.TemporalId(schedule);
        var before = world.Temporal.Get(id)!;
        // As a version without marks left them: this database's schedule, paused by an operator, and one it does not know.
        world.Temporal.Put(id, before, owner: null);
        world.Temporal.Toggle(id, paused: true, "incident 7");
        var unknown = TemporalScheduleSpecTranslator.ScheduleId(Guid.NewGuid());
        world.Temporal.Put(unknown, before, owner: null);
        var theirs = TemporalScheduleSpecTranslator.ScheduleId(Guid.NewGuid());
        world.Temporal.Put(theirs, before, OtherDeployment);

        var report = await Adoption(world).AdoptAsync(cancellationToken: Token);

        Assert.Equal([id], report.Adopted);
        Assert.Equal([unknown], report.LeftAlone);
        Assert.Equal(await world.MarkAsync(), world.Temporal.OwnerOf(id));
        Assert.Equal((true, "incident 7"), (world.Temporal.Get(id)!.State.Paused, world.Temporal.Get(id)!.State.Note));
        Assert.Null(world.Temporal.OwnerOf(unknown));
        Assert.Equal(OtherDeployment, world.Temporal.OwnerOf(theirs));
    }

    [Fact]
    public async Task Adopt_ChangeRefusedBeforeAdoption_IsRetriedAtOnceAndSyncs()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        var id = SyncWorld.TemporalId(schedule);
        world.Temporal.Put(id, TemporalScheduleSpecTranslator.Translate(schedule, TimeZoneData.BuiltIn, world.World.Options.Schedules, "recaps", world.Clock.GetCurrentInstant()), owner: null);
        await world.SyncOnceAsync();
        Assert.Contains("adopt-schedules", (await world.GetAsync(schedule.Id)).Sync.Error, StringComparison.Ordinal);

        await Adoption(world).AdoptAsync(cancellationToken: Token);
        await world.SyncOnceAsync();

        Assert.Equal(SyncState.Synced, (await world.GetAsync(schedule.Id)).Sync.State);
    }

    [Fact]
    public async Task Adopt_FromAnEarlierOwnerSetting_TakesThatMarksSchedulesOnly()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var renamed = await world.CreateAsync();
        var other = await world.CreateAsync();
        await world.SyncOnceAsync();
        world.Temporal.Put(SyncWorld.TemporalId(renamed), world.Temporal.Get(SyncWorld.TemporalId(renamed)), "recaps-old-name");
        world.Temporal.Put(SyncWorld.TemporalId(other), world.Temporal.Get(SyncWorld.TemporalId(other)), OtherDeployment);

        var report = await Adoption(world).AdoptAsync("recaps-old-name", Token);

        Assert.Equal([SyncWorld.TemporalId(renamed)], report.Adopted);
        Assert.Equal(await world.MarkAsync(), world.Temporal.OwnerOf(SyncWorld.TemporalId(renamed)));
        Assert.Equal(OtherDeployment, world.Temporal.OwnerOf(SyncWorld.TemporalId(other)));
    }

    [Fact]
    public async Task Adopt_CreateRefusedAfterTheDelete_ReportsItWithItsPauseAndAdoptsTheRest()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var refused = await world.CreateAsync();
        var fine = await world.CreateAsync();
        await world.SyncOnceAsync();
        foreach (var schedule in new[] { refused, fine })
        {
            world.Temporal.Put(SyncWorld.TemporalId(schedule), world.Temporal.Get(SyncWorld.TemporalId(schedule)), owner: null);
        }

        world.Temporal.Toggle(SyncWorld.TemporalId(refused), paused: true, "incident 9");
        world.Temporal.FailWhen = call => call is { Operation: "create" } && call.ScheduleId == SyncWorld.TemporalId(refused)
            ? new Temporalio.Exceptions.RpcException(Temporalio.Exceptions.RpcException.StatusCode.Unavailable, "Temporal is restarting", null)
            : null;

        var report = await Adoption(world).AdoptAsync(cancellationToken: Token);

        var failed = Assert.Single(report.Failed);
        Assert.Equal((SyncWorld.TemporalId(refused), true, "incident 9"), (failed.Listed.ScheduleId, failed.Listed.Paused, failed.Listed.Note));
        Assert.Contains("Temporal is restarting", failed.Error, StringComparison.Ordinal);
        Assert.Equal([SyncWorld.TemporalId(fine)], report.Adopted);
        Assert.Equal(await world.MarkAsync(), world.Temporal.OwnerOf(SyncWorld.TemporalId(fine)));
    }

    private static ScheduleAdoption Adoption(SyncWorld world) => new(world.World.DataSource, world.Temporal, world.Applier(), world.Schedules, world.Clock);
}
