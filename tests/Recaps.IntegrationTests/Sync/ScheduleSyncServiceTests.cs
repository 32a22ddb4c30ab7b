using NodaTime;
using Recaps.Tests.RecapRuns;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;
using Temporalio.Exceptions;

namespace Recaps.Tests.Sync;

public class ScheduleSyncServiceTests(PostgresFixture postgres)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_Applied_CreatesTheTemporalScheduleAndMarksItSynced()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();

        await world.SyncOnceAsync();

        Assert.Equal(["create"], world.CallsFor(schedule));
        Assert.NotNull(world.Temporal.Get(SyncWorld.TemporalId(schedule)));
        var stored = await world.GetAsync(schedule.Id);
        Assert.Equal(new ScheduleSync(SyncState.Synced, null, world.Clock.GetCurrentInstant()), stored.Sync with { Spec = null });
        // What was written: compiled in 2026 to reach ten whole years further, with the built-in tzdb.
        var written = TemporalScheduleSpecTranslator.Translate(stored, TimeZoneData.BuiltIn, world.World.Options.Schedules, "recaps", world.Clock.GetCurrentInstant());
        Assert.Equal(
            new WrittenSpec(
                Instant.FromUtc(2037, 1, 1, 0, 0),
                TimeZoneData.BuiltIn.Version,
                TemporalScheduleSpecTranslator.Inputs(TimeZoneData.BuiltIn, world.World.Options.Schedules, "recaps"),
                TemporalScheduleSpecTranslator.SpecHash(written)),
            stored.Sync.Spec);
        Assert.Equal(0, await world.UnprocessedAsync());
    }

    [Fact]
    public async Task Upsert_ScheduleAlreadyExists_UpdatesIt()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        world.Temporal.Put(
            SyncWorld.TemporalId(schedule), TemporalScheduleSpecTranslator.Translate(schedule, TimeZoneData.BuiltIn, world.World.Options.Schedules, "old-queue", world.Clock.GetCurrentInstant()), await world.MarkAsync());

        await world.SyncOnceAsync();

        Assert.Equal(["create", "update"], world.CallsFor(schedule));
        Assert.Equal(SyncState.Synced, (await world.GetAsync(schedule.Id)).Sync.State);
    }

    [Fact]
    public async Task Upsert_ScheduleDeletedBetweenCreateAndUpdate_CreatesItAgain()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        var id = SyncWorld.TemporalId(schedule);
        world.Temporal.Put(id, TemporalScheduleSpecTranslator.Translate(schedule, TimeZoneData.BuiltIn, world.World.Options.Schedules, "recaps", world.Clock.GetCurrentInstant()), await world.MarkAsync());
        // Someone deletes it right after the create found it.
        world.Temporal.FailWhen = call =>
        {
            if (call.Operation == "update")
            {
                world.Temporal.Put(id, null);
            }

            return null;
        };

        await world.SyncOnceAsync();

        Assert.Equal(["create", "update", "create"], world.CallsFor(schedule));
        Assert.NotNull(world.Temporal.Get(id));
    }

    [Fact]
    public async Task Delete_AfterSync_DeletesTheTemporalSchedule()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();

        await world.Schedules.DeleteAsync(schedule.Id, Token);
        await world.SyncOnceAsync();

        Assert.Equal(["create", "delete"], world.CallsFor(schedule));
        Assert.Null(world.Temporal.Get(SyncWorld.TemporalId(schedule)));
    }

    [Fact]
    public async Task Delete_BeforeTheCreateWasApplied_SkipsTheCreateAndDeletesNothingThatIsThere()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.Schedules.DeleteAsync(schedule.Id, Token);

        await world.SyncOnceAsync();

        Assert.Equal(["delete"], world.CallsFor(schedule));
        Assert.Equal(0, await world.UnprocessedAsync());
        Assert.Equal(SyncState.Synced, (await world.GetAsync(schedule.Id)).Sync.State);
    }

    [Fact]
    public async Task Pause_ByUser_PausesWithTheUserNote()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();

        await world.Schedules.PauseAsync(schedule.Id, "on holiday", Token);
        await world.SyncOnceAsync();

        Assert.Equal(["create", "describe", "pause recaps:user: on holiday"], world.CallsFor(schedule));
        Assert.True(world.Temporal.Get(SyncWorld.TemporalId(schedule))!.State.Paused);
    }

    [Fact]
    public async Task Pause_TemporalScheduleMissing_CreatesItPaused()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        world.Temporal.Put(SyncWorld.TemporalId(schedule), null);

        await world.Schedules.PauseAsync(schedule.Id, null, Token);
        await world.SyncOnceAsync();

        var state = world.Temporal.Get(SyncWorld.TemporalId(schedule))!.State;
        Assert.True(state.Paused);
        Assert.Equal(TemporalScheduleSpecTranslator.UserPauseNotePrefix, state.Note);
    }

    [Fact]
    public async Task Resume_AfterUserPause_Unpauses()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.Schedules.PauseAsync(schedule.Id, null, Token);
        await world.SyncOnceAsync();

        await world.Schedules.ResumeAsync(schedule.Id, Token);
        await world.SyncOnceAsync();

        Assert.Equal("unpause", world.CallsFor(schedule)[^1].Split(' ')[0]);
        Assert.False(world.Temporal.Get(SyncWorld.TemporalId(schedule))!.State.Paused);
    }

    [Fact]
    public async Task Resume_UnderAnOperatorPause_NeverUnpauses()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.Schedules.PauseAsync(schedule.Id, null, Token);
        await world.SyncOnceAsync();
        world.Temporal.Toggle(SyncWorld.TemporalId(schedule), paused: true, "database maintenance");

        await world.Schedules.ResumeAsync(schedule.Id, Token);
        await world.SyncOnceAsync();

        Assert.DoesNotContain(world.CallsFor(schedule), c => c.StartsWith("unpause", StringComparison.Ordinal));
        var state = world.Temporal.Get(SyncWorld.TemporalId(schedule))!.State;
        Assert.True(state.Paused);
        Assert.Equal("database maintenance", state.Note);
    }

    [Fact]
    public async Task Update_UnderAnOperatorPause_KeepsThePause()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        world.Temporal.Toggle(SyncWorld.TemporalId(schedule), paused: true, "incident 42");

        // The reconciler's spec refresh rewrites it.
        await ReconcileRewriteAsync(world, schedule);

        var state = world.Temporal.Get(SyncWorld.TemporalId(schedule))!.State;
        Assert.Equal("update", world.CallsFor(schedule)[^1]);
        Assert.True(state.Paused);
        Assert.Equal("incident 42", state.Note);
    }

    [Fact]
    public async Task RunNow_Requested_StartsTheRunNowWorkflowWithTheRequestTime()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        var run = await world.Runs.RequestRunAsync(schedule.Id, Token);
        world.Clock.Advance(Duration.FromMinutes(3));

        await world.SyncOnceAsync();

        var started = Assert.Single(world.Temporal.StartedRuns);
        Assert.Equal(TemporalScheduleSpecTranslator.RunNowWorkflowId(schedule.Id, run!.Id), started.Key);
        Assert.Equal(new(schedule.Id, run.Id, run.NominalTime), started.Value);
    }

    [Fact]
    public async Task Regeneration_RequestedWhileTemporalIsDown_IsStartedOnceItIsBack()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        var (_, recap) = await world.World.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At));
        var requested = await new RecapRegenerations(world.World.DataSource, world.Clock).RequestAsync(recap!.RecapId, schedule.UserId, null, new HashSet<string> { "extractive" }, Token);
        world.Temporal.Down = true;

        await world.SyncOnceAsync();
        Assert.Empty(world.Temporal.StartedRegenerations);
        Assert.Equal(1, await world.UnprocessedAsync());
        world.Temporal.Down = false;
        world.Clock.Advance(Duration.FromMinutes(1));
        await world.SyncOnceAsync();

        Assert.Equal([Workflows.RecapRuns.RegenerateRecapWorkflow.WorkflowId(requested!.Requested!.Id)], world.Temporal.StartedRegenerations);
        Assert.Equal(0, await world.UnprocessedAsync());
    }

    [Fact]
    public async Task RunNow_StartFailsAfterTemporalStartedIt_SecondStartIsANoOp()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.Runs.RequestRunAsync(schedule.Id, Token);
        var failed = false;
        // Temporal started the workflow but the answer was lost: the row is retried.
        world.Temporal.FailWhen = call => call.Operation == "start" && !failed && (failed = true)
            ? new RpcException(RpcException.StatusCode.DeadlineExceeded, "deadline exceeded", null)
            : null;

        await world.SyncOnceAsync();
        world.Clock.Advance(Duration.FromMinutes(1));
        await world.SyncOnceAsync();

        Assert.Single(world.Temporal.StartedRuns);
        Assert.Equal(2, world.CallsFor(schedule).Count(c => c.StartsWith("start", StringComparison.Ordinal)));
        Assert.Equal(0, await world.UnprocessedAsync());
    }

    [Fact]
    public async Task TemporalDown_ChangesPileUpPendingWithTheError_ThenConvergeInOrderOnce()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var first = await world.CreateAsync();
        await world.Schedules.PauseAsync(first.Id, "away", Token);
        var second = await world.CreateAsync();
        world.Temporal.Down = true;

        for (var pass = 0; pass < 5; pass++)
        {
            await world.SyncOnceAsync();
            world.Clock.Advance(Duration.FromMinutes(10));
        }

        Assert.Equal(3, await world.UnprocessedAsync());
        var whileDown = await world.GetAsync(first.Id);
        Assert.Equal(SyncState.Pending, whileDown.Sync.State);
        Assert.StartsWith($"{SyncErrors.Unavailable}: ", whileDown.Sync.Error, StringComparison.Ordinal);
        Assert.Equal(5, await world.World.CountAsync("SELECT max(attempts) FROM schedule_outbox"));

        world.Temporal.Down = false;
        var callsBefore = world.Temporal.Calls.Count;
        await world.SyncOnceAsync();

        var applied = world.Temporal.Calls.Skip(callsBefore).ToList();
        // The create applies the schedule as it stands now, paused; the pause then finds nothing to do.
        Assert.Equal(["create", "describe"], applied.Where(c => c.ScheduleId == SyncWorld.TemporalId(first)).Select(c => c.Operation));
        Assert.Equal("recaps:user: away", world.Temporal.Get(SyncWorld.TemporalId(first))!.State.Note);
        Assert.Equal(["create"], applied.Where(c => c.ScheduleId == SyncWorld.TemporalId(second)).Select(c => c.Operation));
        Assert.Equal(0, await world.UnprocessedAsync());
        foreach (var id in (Guid[])[first.Id, second.Id])
        {
            var stored = await world.GetAsync(id);
            Assert.Equal(SyncState.Synced, stored.Sync.State);
            Assert.Null(stored.Sync.Error);
        }
    }

    [Fact]
    public async Task Failure_Repeated_BacksOffExponentiallyWithSmallJitter()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        await world.CreateAsync();
        world.Temporal.Down = true;
        var delays = new List<Duration>();

        for (var attempt = 0; attempt < 4; attempt++)
        {
            var now = world.Clock.GetCurrentInstant();
            await world.SyncOnceAsync();
            var retryAt = await NextAttemptAsync(world);
            delays.Add(retryAt - now);
            world.Clock.Advance(retryAt - now);
        }

        for (var i = 0; i < delays.Count; i++)
        {
            var expected = Duration.FromSeconds(Math.Pow(2, i));
            Assert.InRange(delays[i], expected, expected * 1.1);
        }
    }

    [Fact]
    public async Task UnknownOperation_IsNotAppliedAsAnotherButStaysPendingWithTheError()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        await world.SyncOnceAsync();
        // A row a newer version wrote during a rolling upgrade, after its migration widened the check.
        await world.World.CountAsync("ALTER TABLE schedule_outbox DROP CONSTRAINT schedule_outbox_operation_check; SELECT 0");
        await world.World.CountAsync(
            "WITH added AS (INSERT INTO schedule_outbox (schedule_id, operation, schedule_version, created_at, next_attempt_at) SELECT id, 'archive', version, updated_at, updated_at FROM schedules WHERE id = $1 RETURNING 1) SELECT count(*) FROM added",
            schedule.Id);

        await world.SyncOnceAsync();

        Assert.Equal(["create"], world.CallsFor(schedule));
        Assert.False(world.Temporal.Get(SyncWorld.TemporalId(schedule))!.State.Paused);
        Assert.Equal(1, await world.UnprocessedAsync());
        Assert.StartsWith($"{SyncErrors.Failed}: ", (await world.GetAsync(schedule.Id)).Sync.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failure_TemporalRejectsTheChange_MarksTheScheduleError()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        world.Temporal.FailWhen = _ => new RpcException(RpcException.StatusCode.InvalidArgument, "invalid calendar", null);

        await world.SyncOnceAsync();

        var sync = (await world.GetAsync(schedule.Id)).Sync;
        Assert.Equal(SyncState.Error, sync.State);
        Assert.StartsWith($"{SyncErrors.Rejected}: ", sync.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoInstances_SameBacklog_ApplyEachChangeOnceInEachSchedulesOrder()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        world.Options.BatchSize = 7;
        var schedules = new List<StoredSchedule>();
        for (var i = 0; i < 40; i++)
        {
            var schedule = await world.CreateAsync();
            await world.Schedules.PauseAsync(schedule.Id, "one", Token);
            await world.Schedules.ResumeAsync(schedule.Id, Token);
            await world.Schedules.DeleteAsync(schedule.Id, Token);
            schedules.Add(schedule);
        }

        var (a, b) = (world.Sync(), world.Sync());
        var tried = await Task.WhenAll(a.ProcessPendingOnceAsync(Token), b.ProcessPendingOnceAsync(Token));

        Assert.Equal(160, tried.Sum());
        Assert.Equal(0, await world.UnprocessedAsync());
        foreach (var schedule in schedules)
        {
            // The pause and resume of a schedule deleted since are skipped; its create too.
            Assert.Equal(["delete"], world.CallsFor(schedule));
        }
    }

    [Fact]
    public async Task TwoInstances_LiveSchedulesWithSeveralChanges_ApplyThemOnceInOrder()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        world.Options.BatchSize = 5;
        var schedules = new List<StoredSchedule>();
        for (var i = 0; i < 30; i++)
        {
            var schedule = await world.CreateAsync();
            await world.Runs.RequestRunAsync(schedule.Id, Token);
            await world.Schedules.PauseAsync(schedule.Id, "one", Token);
            schedules.Add(schedule);
        }

        var (a, b) = (world.Sync(), world.Sync());
        await Task.WhenAll(a.ProcessPendingOnceAsync(Token), b.ProcessPendingOnceAsync(Token));

        foreach (var schedule in schedules)
        {
            // The create already writes the current intent (paused); the pause row then only checks.
            Assert.Equal(["create", "start", "describe"], world.CallsFor(schedule).Select(c => c.Split(' ')[0]));
            Assert.True(world.Temporal.Get(SyncWorld.TemporalId(schedule))!.State.Paused);
        }

        Assert.Equal(30, world.Temporal.StartedRuns.Count);
    }

    [Fact]
    public async Task SlowServer_CallsFillEverySlotAcrossBatches_WhileEachSchedulesChangesGoOneAtATimeInOrder()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        (world.Options.BatchSize, world.Options.Concurrency) = (5, 8);
        // Long next to a claim, even on a busy machine.
        world.Temporal.Latency = TimeSpan.FromMilliseconds(500);
        var schedules = new List<StoredSchedule>();
        for (var i = 0; i < 24; i++)
        {
            var schedule = await world.CreateAsync();
            // Every third schedule has three changes queued behind each other.
            if (i % 3 == 0)
            {
                await world.Runs.RequestRunAsync(schedule.Id, Token);
                await world.Schedules.PauseAsync(schedule.Id, "one", Token);
            }

            schedules.Add(schedule);
        }

        var tried = await world.SyncOnceAsync();

        Assert.Equal(24 + (8 * 2), tried);
        Assert.Equal(0, await world.UnprocessedAsync());
        // More in flight than one batch holds: the next batch starts while the last calls of one finish …
        Assert.Equal(8, world.Temporal.MaxInFlight);
        // … but never a schedule's next change while its previous one is in flight.
        Assert.Empty(world.Temporal.Overlapped);
        for (var i = 0; i < schedules.Count; i++)
        {
            Assert.Equal(i % 3 == 0 ? ["create", "start", "describe"] : ["create"], world.CallsFor(schedules[i]).Select(c => c.Split(' ')[0]));
        }
    }

    [Fact]
    public async Task TemporalDown_APassStopsAfterTheBatchesItHasOpen_InsteadOfTryingEveryChange()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        world.Options.BatchSize = 5;
        for (var i = 0; i < 30; i++)
        {
            await world.CreateAsync();
        }

        world.Temporal.Down = true;
        var tried = await world.SyncOnceAsync();

        // The batch that met the outage and the one claimed while it ran; the other 20 wait untouched.
        Assert.Equal(10, tried);
        Assert.Equal(10, world.Temporal.Calls.Count);
        Assert.Equal(20, await world.World.CountAsync("SELECT count(*) FROM schedule_outbox WHERE attempts = 0"));

        world.Temporal.Down = false;
        world.Clock.Advance(Duration.FromMinutes(1));
        await world.SyncOnceAsync();

        Assert.Equal(0, await world.UnprocessedAsync());
        Assert.Equal(30, world.Temporal.Calls.Count(c => c.Operation == "create") - 10);
    }

    [Fact]
    public async Task OneTime_OccurrencePassedBeyondTheCatchupWindow_IsMissedAndTheScheduleCompleted()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync(recurring: false);
        var only = RecapWorld.Occurrences(schedule, 1)[0];
        world.Clock.Reset(only.At + Duration.FromHours(7));

        await world.SyncOnceAsync();

        Assert.Equal(["delete"], world.CallsFor(schedule));
        var stored = await world.GetAsync(schedule.Id);
        Assert.Equal(ScheduleStatus.Completed, stored.Status);
        Assert.Equal(SyncState.Synced, stored.Sync.State);
        var run = Assert.Single(await world.Runs.ListAsync(schedule.Id, cancellationToken: Token));
        Assert.Equal((RunStatus.Missed, only.At, "not started within the catch-up window"), (run.Status, run.NominalTime, run.Reason));
        Assert.Equal(RecapWorld.ScheduledWorkflowId(schedule.Id, only.At), run.WorkflowId);
    }

    [Fact]
    public async Task OneTime_OccurrencePassedWithinTheCatchupWindow_IsCreatedAndBackfilled()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync(recurring: false);
        var only = RecapWorld.Occurrences(schedule, 1)[0];
        world.Clock.Reset(only.At + Duration.FromHours(1));

        await world.SyncOnceAsync();

        Assert.Equal(["create", $"backfill {only.At}"], world.CallsFor(schedule));
        Assert.Equal(ScheduleStatus.Active, (await world.GetAsync(schedule.Id)).Status);
    }

    [Fact]
    public async Task OneTime_OccurrenceAhead_IsCreatedWithoutBackfill()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync(recurring: false);

        await world.SyncOnceAsync();

        Assert.Equal(["create"], world.CallsFor(schedule));
    }

    [Fact]
    public async Task Notification_NewChange_WakesTheServiceLongBeforeItsPoll()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        world.Options.PollInterval = TimeSpan.FromMinutes(10);
        var before = await world.CreateAsync();
        using var service = world.Sync();
        using var notifier = world.Notifier();
        await notifier.StartAsync(Token);
        await service.StartAsync(Token);
        // The service listens before its first pass, so once that pass has applied this, it is listening.
        await WaitUntilAsync(() => world.CallsFor(before).Count > 0);

        var schedule = await world.CreateAsync();
        await WaitUntilAsync(() => world.CallsFor(schedule).Count > 0);
        await service.StopAsync(Token);
        await notifier.StopAsync(Token);

        Assert.Equal(["create"], world.CallsFor(schedule));
    }

    [Fact]
    public async Task FailureWithInternalDetail_ShowsAStableCodeAndASafeMessageOnly()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var schedule = await world.CreateAsync();
        world.Temporal.FailWhen = _ => new InvalidOperationException("Host=db.internal;Password=hunter2 at Npgsql.Internal.Connector");

        await world.SyncOnceAsync();

        var error = (await world.GetAsync(schedule.Id)).Sync.Error;
        Assert.StartsWith($"{SyncErrors.Failed}: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
        Assert.Equal(0, await world.World.CountAsync("SELECT count(*) FROM schedule_outbox WHERE last_error LIKE '%hunter2%'"));
    }

    private static async Task ReconcileRewriteAsync(SyncWorld world, StoredSchedule schedule)
    {
        // Its spec is rolled forward once the year it was compiled in is over.
        world.Clock.Reset(Instant.FromUtc(world.Clock.GetCurrentInstant().InUtc().Year + 1, 1, 1, 1, 0));
        await world.Reconciler().ReconcileOnceAsync(Token);
        await world.SyncOnceAsync();
        Assert.Equal(SyncState.Synced, (await world.GetAsync(schedule.Id)).Sync.State);
    }

    private static async Task<Instant> NextAttemptAsync(SyncWorld world)
    {
        await using var connection = await world.World.DataSource.OpenConnectionAsync(Token);
        await using var command = new Npgsql.NpgsqlCommand("SELECT next_attempt_at FROM schedule_outbox", connection);
        return (Instant)(await command.ExecuteScalarAsync(Token))!;
    }

    /// <summary>Bounded: a condition that is not met in 10 s fails the test.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
