using NodaTime;
using Recaps.Tests.RecapRuns;
using Recaps.Tests.Telemetry;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;

namespace Recaps.Tests.Sync;

public class ScheduleReconcilerTests(PostgresFixture postgres)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OperatorPause_Surfaces_SurvivesAUserResume_AndClearsWhenLifted()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        var id = SyncWorld.TemporalId(schedule);
        world.Temporal.Toggle(id, paused: true, "database maintenance");
        var seenAt = world.Clock.GetCurrentInstant();

        await ReconcileAsync(world);
        await world.Schedules.PauseAsync(schedule.Id, null, Token);
        await world.Schedules.ResumeAsync(schedule.Id, Token);
        world.Clock.Advance(Duration.FromMinutes(5));
        await ReconcileAsync(world);

        var paused = await world.GetAsync(schedule.Id);
        Assert.Equal(new TemporalMirror(seenAt, "database maintenance", null, null), paused.Temporal);
        Assert.True(world.Temporal.Get(id)!.State.Paused);
        Assert.DoesNotContain(world.CallsFor(schedule), c => c.StartsWith("unpause", StringComparison.Ordinal));

        world.Temporal.Toggle(id, paused: false, "done");
        await ReconcileAsync(world);

        Assert.Equal(TemporalMirror.None, (await world.GetAsync(schedule.Id)).Temporal);
        Assert.Equal(ScheduleStatus.Active, (await world.GetAsync(schedule.Id)).Status);
    }

    [Fact]
    public async Task UserPause_OperatorUnpausedIt_PauseIsAppliedAgain()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.Schedules.PauseAsync(schedule.Id, "away", Token);
        await world.SyncOnceAsync();
        world.Temporal.Toggle(SyncWorld.TemporalId(schedule), paused: false, "unpaused by hand");

        await ReconcileAsync(world);

        Assert.Equal("pause recaps:user: away", world.CallsFor(schedule)[^1]);
        Assert.True(world.Temporal.Get(SyncWorld.TemporalId(schedule))!.State.Paused);
    }

    [Fact]
    public async Task UserPauseNote_UserHasNoPause_IsLifted()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        world.Temporal.Toggle(SyncWorld.TemporalId(schedule), paused: true, "recaps:user: stale");

        await ReconcileAsync(world);

        Assert.False(world.Temporal.Get(SyncWorld.TemporalId(schedule))!.State.Paused);
    }

    [Fact]
    public async Task Orphans_DeletedOrUnknownSchedules_AreDeletedFromTemporal()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var kept = await world.CreateAsync();
        var deleted = await world.CreateAsync();
        await world.SyncOnceAsync();
        await world.Schedules.DeleteAsync(deleted.Id, Token);
        var template = world.Temporal.Get(SyncWorld.TemporalId(kept))!;
        // Deleted in the database and left in Temporal (its outbox row already processed by hand), and one nobody knows, both with this deployment's mark.
        await world.World.CountAsync("UPDATE schedule_outbox SET processed_at = now()");
        world.Temporal.Put(SyncWorld.TemporalId(deleted), template, await world.MarkAsync());
        var unknown = TemporalScheduleSpecTranslator.ScheduleId(Guid.NewGuid());
        world.Temporal.Put(unknown, template, await world.MarkAsync());
        world.Temporal.Put("someone-elses-schedule", template);

        await world.Reconciler().ReconcileOnceAsync(Token);

        Assert.NotNull(world.Temporal.Get(SyncWorld.TemporalId(kept)));
        Assert.Null(world.Temporal.Get(SyncWorld.TemporalId(deleted)));
        Assert.Null(world.Temporal.Get(unknown));
        Assert.NotNull(world.Temporal.Get("someone-elses-schedule"));
    }

    [Fact]
    public async Task MissingInTemporal_SyncedSchedule_IsRecreated()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        world.Temporal.Put(SyncWorld.TemporalId(schedule), null);

        await ReconcileAsync(world);

        Assert.NotNull(world.Temporal.Get(SyncWorld.TemporalId(schedule)));
        Assert.Equal(SyncState.Synced, (await world.GetAsync(schedule.Id)).Sync.State);
    }

    [Fact]
    public async Task MissingInTemporal_ChangeStillPending_IsLeftToTheSync()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();

        await world.Reconciler().ReconcileOnceAsync(Token);

        Assert.Equal(1, await world.World.CountAsync("SELECT count(*) FROM schedule_outbox"));
        Assert.Empty(world.CallsFor(schedule));
    }

    [Fact]
    public async Task SpecOfAPastYear_RolledForward_ReachesTenYearsAgain()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync(time: new LocalTime(2, 30));
        await world.SyncOnceAsync();
        var before = LastYear(world, schedule);

        // Written in 2026 (reaching the end of 2036); the new year has begun.
        world.Clock.Reset(Instant.FromUtc(2027, 1, 1, 0, 5));
        await ReconcileAsync(world);

        Assert.Equal("update", world.CallsFor(schedule)[^1]);
        Assert.Equal((2036, 2037), (before, LastYear(world, schedule)));
        Assert.Equal(Instant.FromUtc(2038, 1, 1, 0, 0), (await world.GetAsync(schedule.Id)).Sync.Spec!.Until);
    }

    [Fact]
    public async Task SpecOfThisYear_NotWrittenAgain()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();

        world.Clock.Advance(Duration.FromDays(200));
        await ReconcileAsync(world);

        Assert.DoesNotContain("update", world.Temporal.Calls.Select(c => c.Operation));
        Assert.Equal(0, await world.UnprocessedAsync());
        Assert.Equal(SyncState.Synced, (await world.GetAsync(schedule.Id)).Sync.State);
    }

    [Fact]
    public async Task NewTzdb_RewritesTheSpecsItChanges_AndOnlyRestampsTheOthers()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        world.Zones = OlderTzdb;
        var vancouver = await world.Schedules.CreateAsync("alice", RecapWorld.Daily(["dev"], zone: "America/Vancouver"), Token);
        var tokyo = await world.Schedules.CreateAsync("alice", RecapWorld.Daily(["dev"], zone: "Asia/Tokyo"), Token);
        await world.SyncOnceAsync();
        var callsBefore = world.Temporal.Calls.Count;

        world.Zones = TimeZoneData.BuiltIn;
        await ReconcileAsync(world);

        // 2026f keeps Vancouver on daylight time from November 2026; Tokyo's rules are the same in both.
        Assert.Equal(["update"], world.Temporal.Calls.Skip(callsBefore).Where(c => c.Operation == "update").Select(c => c.ScheduleId == SyncWorld.TemporalId(vancouver) ? "update" : c.ScheduleId));
        foreach (var schedule in (StoredSchedule[])[vancouver, tokyo])
        {
            var spec = (await world.GetAsync(schedule.Id)).Sync.Spec!;
            Assert.Equal(TimeZoneData.BuiltIn.Version, spec.Tzdb);
            Assert.Equal(TemporalScheduleSpecTranslator.SpecHash(world.Temporal.Get(SyncWorld.TemporalId(schedule))!), spec.Hash);
        }

        Assert.Equal("2025b", OlderTzdb.Version);
        Assert.Equal(0, await world.UnprocessedAsync());
    }

    [Fact]
    public async Task NewJitter_RewritesTheSpecOnce()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();

        world.World.Options.Schedules.Jitter = TimeSpan.FromSeconds(5);
        await ReconcileAsync(world);
        var rewritten = world.Temporal.Get(SyncWorld.TemporalId(schedule))!;
        var calls = world.CallsFor(schedule).Count;
        await ReconcileAsync(world);

        Assert.Equal(TimeSpan.FromSeconds(5), rewritten.Spec.Jitter);
        Assert.Contains("jitter 00:00:05", (await world.GetAsync(schedule.Id)).Sync.Spec!.Inputs, StringComparison.Ordinal);
        Assert.DoesNotContain("update", world.CallsFor(schedule).Skip(calls));
    }

    [Fact]
    public async Task ServerListingOtherTimes_MarksDrift_CountsOnce_AndWritesTheScheduleAgain()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        using var metrics = new RecordedMetrics(world.World.MeterFactory);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        var id = SyncWorld.TemporalId(schedule);
        // 09:00 New York is 14:00Z in March 2026 until the 8th; the server says 15:00Z on the 4th.
        var (expected, listed) = (Instant.FromUtc(2026, 3, 4, 14, 0), Instant.FromUtc(2026, 3, 4, 15, 0));
        world.Temporal.SetMatchingTimes(id, [Instant.FromUtc(2026, 3, 2, 14, 0), Instant.FromUtc(2026, 3, 3, 14, 0), listed]);

        await ReconcileAsync(world);
        var drifted = await world.GetAsync(schedule.Id);
        world.Clock.Advance(Duration.FromMinutes(1));
        await ReconcileAsync(world);

        Assert.Equal(new SpecDrift(Instant.FromUtc(2026, 3, 4, 14, 0), expected, listed, drifted.Sync.Drift!.SeenAt), drifted.Sync.Drift);
        Assert.Equal(drifted.Sync.Drift, (await world.GetAsync(schedule.Id)).Sync.Drift);
        // Written before, so written again by an update alone.
        Assert.Equal(["create", "matching", "update", "matching", "update"], world.CallsFor(schedule));
        Assert.Equal(1, metrics.Sum("recaps.specs.drifted"));
    }

    [Fact]
    public async Task SpecNotRolledForward_IsOverdueAfterTheGrace()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        using var metrics = new RecordedMetrics(world.World.MeterFactory);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        world.Temporal.FailWhen = call => call.Operation == "update" ? new InvalidOperationException("refused") : null;

        world.Clock.Reset(Instant.FromUtc(2027, 1, 3, 0, 0));
        await ReconcileAsync(world);
        var early = await world.GetAsync(schedule.Id);
        world.Clock.Reset(Instant.FromUtc(2027, 1, 9, 0, 0));
        await world.Reconciler().ReconcileOnceAsync(Token);
        var late = await world.GetAsync(schedule.Id);

        var grace = Duration.FromTimeSpan(world.Options.SpecRefreshGrace);
        Assert.False(SpecChecks.Overdue(early, world.World.Options.Schedules, grace, Instant.FromUtc(2027, 1, 3, 0, 0)));
        Assert.True(SpecChecks.Overdue(late, world.World.Options.Schedules, grace, Instant.FromUtc(2027, 1, 9, 0, 0)));
        Assert.Equal(Instant.FromUtc(2037, 1, 1, 0, 0), late.Sync.Spec!.Until);
        Assert.Equal(1, metrics.Of("recaps.specs.overdue")[^1]);
    }

    [Fact]
    public async Task ActionTimes_Mirrored()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        var (next, last) = (Instant.FromUtc(2026, 3, 3, 14, 0), Instant.FromUtc(2026, 3, 2, 14, 0));
        world.Temporal.SetActions(SyncWorld.TemporalId(schedule), next, last);

        await world.Reconciler().ReconcileOnceAsync(Token);

        Assert.Equal(new TemporalMirror(null, null, next, last), (await world.GetAsync(schedule.Id)).Temporal);
    }

    [Fact]
    public async Task MissedOccurrences_RecordedOnceWithTheirReason()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        var occurrences = RecapWorld.Occurrences(schedule, 6);
        await world.World.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrences[1].At));
        // Three days on: the first three occurrences are past the catch-up window and its grace.
        world.Clock.Reset(occurrences[2].At + Duration.FromHours(7));

        await world.Reconciler().ReconcileOnceAsync(Token);
        await world.Reconciler().ReconcileOnceAsync(Token);
        await world.Schedules.PauseAsync(schedule.Id, "away", Token);
        world.Clock.Reset(occurrences[4].At + Duration.FromHours(7));
        await world.Reconciler().ReconcileOnceAsync(Token);

        var runs = (await world.Runs.ListAsync(schedule.Id, cancellationToken: Token)).OrderBy(r => r.NominalTime).ToList();
        Assert.Equal(
            [
                (occurrences[0].At, RunStatus.Missed, "not started within the catch-up window"),
                (occurrences[1].At, RunStatus.Completed, null),
                (occurrences[2].At, RunStatus.Missed, "not started within the catch-up window"),
                (occurrences[3].At, RunStatus.Missed, "paused by the user: away"),
                (occurrences[4].At, RunStatus.Missed, "paused by the user: away"),
            ],
            runs.Select(r => (r.NominalTime, r.Status, r.Reason)));
    }

    [Fact]
    public async Task MissedOccurrence_BackfilledLater_IsClaimedAndRuns()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        var first = RecapWorld.Occurrences(schedule, 1)[0];
        world.Clock.Reset(first.At + Duration.FromHours(7));
        await world.Reconciler().ReconcileOnceAsync(Token);
        Assert.Equal(RunStatus.Missed, Assert.Single(await world.Runs.ListAsync(schedule.Id, cancellationToken: Token)).Status);

        var (occurrence, _) = await world.World.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, first.At));

        Assert.False(occurrence.Skipped);
        var run = Assert.Single(await world.Runs.ListAsync(schedule.Id, cancellationToken: Token));
        Assert.Equal((RunStatus.Completed, null), (run.Status, run.Reason));
    }

    [Fact]
    public async Task MissedOccurrences_BeforeTheScheduleExisted_AreNeverRecorded()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        world.Clock.Reset(RecapWorld.Start + Duration.FromDays(10));
        await world.CreateAsync();

        await world.Reconciler().ReconcileOnceAsync(Token);

        Assert.Equal(0, await world.World.CountAsync("SELECT count(*) FROM schedule_runs"));
    }

    [Fact]
    public async Task TwoInstances_OnlyOneReconcilesAtATime()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        await using var connection = await world.World.DataSource.OpenConnectionAsync(Token);
        await using var transaction = await connection.BeginTransactionAsync(Token);
        await using (var hold = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection) { Parameters = { new() { Value = ReconcilerStore.LockKey } } })
        {
            await hold.ExecuteNonQueryAsync(Token);
        }

        Assert.False(await world.Reconciler().ReconcileOnceAsync(Token));
        await transaction.RollbackAsync(Token);
        Assert.True(await world.Reconciler().ReconcileOnceAsync(Token));
    }

    /// <summary>A reconcile pass and the sync pass that applies what it queued.</summary>
    private static async Task ReconcileAsync(SyncWorld world)
    {
        await world.Reconciler().ReconcileOnceAsync(Token);
        await world.SyncOnceAsync();
    }

    private static TimeZoneData OlderTzdb => field ??= TimeZoneData.Load(Path.Combine(AppContext.BaseDirectory, "TimeZones", "tzdb-2025b.nzd"));

    private static int LastYear(SyncWorld world, StoredSchedule schedule) =>
        world.Temporal.Get(SyncWorld.TemporalId(schedule))!.Spec.Calendars.SelectMany(c => c.Year).Max(r => r.End);
}
