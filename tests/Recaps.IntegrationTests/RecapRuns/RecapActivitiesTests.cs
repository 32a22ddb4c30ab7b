using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NodaTime;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Generation;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;
using Temporalio.Exceptions;

namespace Recaps.Tests.RecapRuns;

public class RecapActivitiesTests(PostgresFixture postgres)
{
    private const string Alice = "alice";

    [Fact]
    public async Task Occurrence_RunTwiceUnderDifferentWorkflows_StoresOneRecapAndCountsOnce()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;

        var first = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, nominal));
        // A second start for the same local date (a manual trigger, a DST double) is a duplicate.
        var second = await world.RunOccurrenceAsync(new(schedule.Id, "recap-manual-trigger", nominal + Duration.FromHours(1), null));

        Assert.False(first.Occurrence.Skipped);
        Assert.StartsWith("duplicate occurrence", second.Occurrence.SkipReason, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM recaps"));
        Assert.Equal(1, (await world.Schedules.GetAsync(schedule.Id))!.RunCount);
        var runs = await world.Runs.ListAsync(schedule.Id);
        Assert.Equal([RunStatus.Skipped, RunStatus.Completed], runs.Select(r => r.Status));
    }

    [Fact]
    public async Task Occurrence_WaitedForAWorkerBeyondTheCatchupWindow_IsRecordedMissedAndBackfillRunsItLater()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var stale = RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At) with
        {
            WaitedForWorker = world.Options.Schedules.CatchupWindow + TimeSpan.FromSeconds(1),
        };

        var missed = await world.RunOccurrenceAsync(stale);
        var again = await world.RunOccurrenceAsync(stale);
        var missedRun = Assert.Single(await world.Runs.ListAsync(schedule.Id));
        // A backfill starts the occurrence again under the same workflow id, and a worker takes it up at once.
        var backfilled = await world.RunOccurrenceAsync(stale with { WaitedForWorker = TimeSpan.Zero });

        Assert.StartsWith("no worker took it up within the catch-up window: waited 06:00:01 for a worker", missed.Occurrence.SkipReason, StringComparison.Ordinal);
        Assert.Equal(missed.Occurrence.SkipReason, again.Occurrence.SkipReason);
        Assert.Equal((RunStatus.Missed, missed.Occurrence.SkipReason), (missedRun.Status, missedRun.Reason));
        Assert.Null(missed.Recap);
        Assert.False(backfilled.Occurrence.Skipped);
        Assert.Equal(RunStatus.Completed, Assert.Single(await world.Runs.ListAsync(schedule.Id)).Status);
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM recaps"));
    }

    [Fact]
    public async Task Occurrence_WaitedForAWorkerWithinTheCatchupWindow_RunsLate()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var late = RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At) with { WaitedForWorker = world.Options.Schedules.CatchupWindow };

        var ran = await world.RunOccurrenceAsync(late);

        Assert.False(ran.Occurrence.Skipped);
        Assert.NotNull(ran.Recap);
        Assert.Equal(RunStatus.Completed, Assert.Single(await world.Runs.ListAsync(schedule.Id)).Status);
    }

    [Fact]
    public async Task OneTimeOccurrence_WaitedForAWorkerBeyondTheCatchupWindow_IsMissedAndCompletesTheSchedule()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"], recurring: false));
        var stale = RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At) with
        {
            WaitedForWorker = world.Options.Schedules.CatchupWindow + TimeSpan.FromMinutes(1),
        };

        var missed = await world.RunOccurrenceAsync(stale);

        Assert.True(missed.Occurrence.Skipped);
        var completed = (await world.Schedules.GetAsync(schedule.Id))!;
        Assert.Equal((ScheduleStatus.Completed, 0), (completed.Status, completed.RunCount));
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM schedule_outbox WHERE schedule_id = $1 AND operation = 'delete'", schedule.Id));
    }

    [Fact]
    public async Task RunNow_WaitedForAWorkerBeyondTheCatchupWindow_StillRuns()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var pending = (await world.Runs.RequestRunAsync(schedule.Id))!;
        var runNow = new ResolveChannelsInput(
            schedule.Id, pending.WorkflowId, pending.NominalTime, pending.Id, world.Options.Schedules.CatchupWindow + TimeSpan.FromHours(1));

        var ran = await world.RunOccurrenceAsync(runNow);

        Assert.False(ran.Occurrence.Skipped);
        Assert.NotNull(ran.Recap);
    }

    [Fact]
    public async Task FallBackDay_SecondFireOfDoubledHour_IsSkippedAsDuplicate()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"], new LocalTime(1, 30)));
        // 2026-11-01 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST); Temporal fires both.
        var earlier = Instant.FromUtc(2026, 11, 1, 5, 30);
        var later = Instant.FromUtc(2026, 11, 1, 6, 30);

        var first = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, earlier));
        var second = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, later));

        Assert.Equal("2026-11-01", first.Occurrence.OccurrenceKey);
        Assert.Equal("2026-11-01", second.Occurrence.OccurrenceKey);
        Assert.True(second.Occurrence.Skipped);
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM recaps"));
        Assert.Equal(1, (await world.Schedules.GetAsync(schedule.Id))!.RunCount);
    }

    [Fact]
    public async Task EveryActivity_RetriedAfterSuccess_ChangesNothingTwice()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        await world.Chat.AddPostAsync("dev", "bob", "we shipped the release", RecapWorld.Start + Duration.FromHours(10));
        var input = RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At);
        var activities = world.Activities();

        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(input));
        var resolvedAgain = await RecapWorld.RunActivity(() => world.Activities().ResolveChannelsAsync(input));
        var recap = await RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId)));
        var recapAgain = await RecapWorld.RunActivity(() => world.Activities().GenerateRecapAsync(new(resolved.RunId)));
        var marked = await RecapWorld.RunActivity(() => activities.MarkExecutedAsync(new(resolved.RunId)));
        var markedAgain = await RecapWorld.RunActivity(() => world.Activities().MarkExecutedAsync(new(resolved.RunId)));

        Assert.Equal(resolved, resolvedAgain with { Channels = resolved.Channels });
        Assert.Equal(resolved.Channels, resolvedAgain.Channels);
        Assert.Equal(recap, recapAgain);
        Assert.Equal(1, recap.MessageCount);
        Assert.True(marked.Counted);
        Assert.False(markedAgain.Counted);
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM schedule_runs"));
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM recaps"));
        Assert.Equal(1, (await world.Schedules.GetAsync(schedule.Id))!.RunCount);
    }

    [Fact]
    public async Task MarkFailed_RetriedOrAfterClaim_RecordsOneFailedRunAndScheduleStaysActive()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var input = RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At);
        var activities = world.Activities();
        await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(input));

        for (var attempt = 0; attempt < 2; attempt++)
        {
            await new Temporalio.Testing.ActivityEnvironment().RunAsync(() =>
                activities.MarkFailedAsync(new(schedule.Id, input.WorkflowId, input.NominalTime, "generator exploded")));
        }

        var run = Assert.Single(await world.Runs.ListAsync(schedule.Id));
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("generator exploded", run.Error);
        var stored = await world.Schedules.GetAsync(schedule.Id);
        Assert.Equal(ScheduleStatus.Active, stored!.Status);
        Assert.Equal(0, stored.RunCount);
        Assert.Null(stored.Watermark);
    }

    [Fact]
    public async Task MarkFailed_WithTheFailuresDetail_RecordsOnlyTheSafeError_AndLogsTheDetailWithTheWorkflowAndRunIds()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var input = RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At);
        var log = new FakeLogger<RecapActivities>();
        var activities = world.Activities(logger: log);
        await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(input));
        const string Detail = "Npgsql.PostgresException 28P01: password authentication failed for user \"recaps_owner\" at 10.0.4.7:5432";
        const string Error = $"{RunErrors.Failed}: the recap could not be made; the next run tries again.";

        var attempt = new Temporalio.Testing.ActivityEnvironment { Info = Temporalio.Testing.ActivityEnvironment.DefaultInfo with { WorkflowRunId = "run-0f3a" } };
        await attempt.RunAsync(() => activities.MarkFailedAsync(new(schedule.Id, input.WorkflowId, input.NominalTime, Error, Detail)));

        Assert.Equal(Error, Assert.Single(await world.Runs.ListAsync(schedule.Id)).Error);
        var logged = Assert.Single(log.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Equal(
            (input.WorkflowId, "run-0f3a", schedule.Id.ToString(), Detail),
            (Field(logged, "WorkflowId"), Field(logged, "TemporalRunId"), Field(logged, "ScheduleId"), Field(logged, "Detail")));

        static string? Field(FakeLogRecord record, string name) => record.StructuredState!.Single(p => p.Key == name).Value;
    }

    [Fact]
    public async Task MarkFailed_AfterTheRecapWasStored_CompletesTheRunSoTheNextRecapDoesNotRepeatIt()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var occurrences = RecapWorld.Occurrences(schedule, 2);
        await world.Chat.AddPostAsync("dev", "bob", "shipped", occurrences[0].At - Duration.FromHours(1));
        var input = RecapWorld.Scheduled(schedule, occurrences[0].At);
        var activities = world.Activities();
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(input));
        await RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId)));

        // Cancelled (or out of retries) between storing the recap and MarkExecuted.
        await new Temporalio.Testing.ActivityEnvironment().RunAsync(() =>
            activities.MarkFailedAsync(new(schedule.Id, input.WorkflowId, input.NominalTime, "cancelled")));
        var (next, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrences[1].At));

        Assert.Equal(RunStatus.Completed, (await world.Runs.GetAsync(resolved.RunId))!.Status);
        Assert.Equal(occurrences[0].At, next.WindowStart);
        Assert.Equal(0, recap!.MessageCount);
        Assert.Equal(2, (await world.Schedules.GetAsync(schedule.Id))!.RunCount);
    }

    [Fact]
    public async Task GenerateRecap_ArrivingAfterTheRunFailed_StoresNothingAndFailsForGood()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var input = RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At);
        var activities = world.Activities();
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(input));
        await MarkFailedAsync(activities, schedule, input, "timed out");

        // An attempt the server gave up on, still running on some worker, finishes late.
        var late = await Assert.ThrowsAsync<ApplicationFailureException>(() => RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId))));

        Assert.True(late.NonRetryable);
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM recaps"));
        Assert.Equal(RunStatus.Failed, (await world.Runs.GetAsync(resolved.RunId))!.Status);
    }

    [Fact]
    public async Task FailedWorkflow_ResetAndRerun_IsSkippedWithoutTouchingTheFailedRun()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var input = RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At);
        var activities = world.Activities();
        await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(input));
        await MarkFailedAsync(activities, schedule, input, "generator down");

        var again = await world.RunOccurrenceAsync(input);

        Assert.Contains("already failed (generator down)", again.Occurrence.SkipReason, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, Assert.Single(await world.Runs.ListAsync(schedule.Id)).Status);
    }

    [Fact]
    public async Task FailedOccurrence_StartedAgainByANewWorkflow_RunsAndCountsOnce()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var (schedule, nominal) = await ScheduleWithPostAsync(world, "ship it");
        var failed = RecapWorld.Scheduled(schedule, nominal);
        var activities = world.Activities();
        await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(failed));
        await MarkFailedAsync(activities, schedule, failed, "generator down");

        // temporal schedule backfill over that time starts a workflow of its own for the same date.
        var (retried, recap) = await world.RunOccurrenceAsync(new(schedule.Id, "recap-backfill-1", nominal, null));

        Assert.False(retried.Skipped);
        Assert.Equal(1, recap!.MessageCount);
        Assert.Equal(1, (await world.Schedules.GetAsync(schedule.Id))!.RunCount);
    }

    [Fact]
    public async Task AbandonedRunWithoutRecap_NextClaim_FailsItAndItsLateActivitiesChangeNothing()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var (schedule, nominal) = await ScheduleWithPostAsync(world, "ship it");
        var activities = world.Activities();
        var abandoned = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(RecapWorld.Scheduled(schedule, nominal)));
        world.Clock.Reset(nominal + Duration.FromTimeSpan(world.Options.Limits.AbandonedRunAfter) + Duration.FromMinutes(1));
        var runId = Guid.NewGuid();

        var (runNow, recap) = await world.RunOccurrenceAsync(new(schedule.Id, $"recap-{schedule.Id}-run-{runId}", world.Clock.GetCurrentInstant(), runId));
        var late = await Assert.ThrowsAsync<ApplicationFailureException>(() => RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(abandoned.RunId))));
        var lateMark = await RecapWorld.RunActivity(() => activities.MarkExecutedAsync(new(abandoned.RunId)));

        // The abandoned run moved no watermark: the run-now's window is a first recap's.
        Assert.Equal(runNow.WindowEnd - Duration.FromTimeSpan(world.Options.Limits.DefaultLookback), runNow.WindowStart);
        Assert.Equal(1, recap!.MessageCount);
        Assert.True(late.NonRetryable);
        Assert.False(lateMark.Counted);
        var closed = (await world.Runs.GetAsync(abandoned.RunId))!;
        Assert.Equal(RunStatus.Failed, closed.Status);
        Assert.StartsWith("abandoned", closed.Error, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM recaps"));
    }

    [Fact]
    public async Task AbandonedRunWithStoredRecap_NextClaim_CompletesItAndStartsAfterItsWindow()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var (schedule, nominal) = await ScheduleWithPostAsync(world, "ship it");
        var activities = world.Activities();
        var abandoned = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(RecapWorld.Scheduled(schedule, nominal)));
        await RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(abandoned.RunId)));
        world.Clock.Reset(nominal + Duration.FromTimeSpan(world.Options.Limits.AbandonedRunAfter) + Duration.FromMinutes(1));
        var runId = Guid.NewGuid();

        var (runNow, recap) = await world.RunOccurrenceAsync(new(schedule.Id, $"recap-{schedule.Id}-run-{runId}", world.Clock.GetCurrentInstant(), runId));

        Assert.Equal(abandoned.WindowEnd, runNow.WindowStart);
        Assert.Equal(0, recap!.MessageCount);
        Assert.Equal(RunStatus.Completed, (await world.Runs.GetAsync(abandoned.RunId))!.Status);
        Assert.Equal(2, (await world.Schedules.GetAsync(schedule.Id))!.RunCount);
    }

    [Fact]
    public async Task AbandonedRun_LateStoresRaceTheNextClaim_EitherTheRunStoresOrItIsTakenOverAndEachPostIsRecappedOnce()
    {
        const int Rounds = 12;
        const int LateAttempts = 6;
        await using var world = await RecapWorld.CreateAsync(postgres);
        for (var round = 0; round < Rounds; round++)
        {
            world.Clock.Reset(RecapWorld.Start);
            var channel = $"dev-{round}";
            var schedule = await CreateWithChannelAsync(world, channel);
            var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
            await world.Chat.AddPostAsync(channel, "bob", "ship it", nominal - Duration.FromHours(1));
            var abandoned = await RecapWorld.RunActivity(() => world.Activities().ResolveChannelsAsync(RecapWorld.Scheduled(schedule, nominal)));
            world.Clock.Reset(nominal + Duration.FromTimeSpan(world.Options.Limits.AbandonedRunAfter) + Duration.FromMinutes(1));
            var runId = Guid.NewGuid();
            var runNow = new ResolveChannelsInput(schedule.Id, $"recap-{schedule.Id}-run-{runId}", world.Clock.GetCurrentInstant(), runId);

            // The abandoned run's late attempts store while the next run's claim takes it over, all at once.
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var lateStores = Enumerable.Range(0, LateAttempts).Select(_ => Task.Run(async () =>
            {
                await gate.Task;
                return await RecapWorld.RunActivity(() => world.Activities().GenerateRecapAsync(new(abandoned.RunId)));
            })).ToList();
            var claim = Task.Run(async () =>
            {
                await gate.Task;
                return await RecapWorld.RunActivity(() => world.Activities().ResolveChannelsAsync(runNow));
            });
            gate.SetResult();
            var stores = await Task.WhenAll(lateStores.Select(async store =>
            {
                try
                {
                    return (Recap: await store, Refused: (ApplicationFailureException?)null);
                }
                catch (ApplicationFailureException refused)
                {
                    return (Recap: (GeneratedRecap?)null, Refused: refused);
                }
            }));
            var next = await claim;
            await RecapWorld.RunActivity(() => world.Activities().GenerateRecapAsync(new(next.RunId)));

            var closed = (await world.Runs.GetAsync(abandoned.RunId))!;
            var recapped = await world.CountAsync(
                "SELECT COALESCE(sum((c->>'messageCount')::int), 0) FROM recaps r, jsonb_array_elements(r.channels) c WHERE r.schedule_id = $1", schedule.Id);
            Assert.Equal(1, recapped);
            if (closed.RecapId is { } recapId)
            {
                // The late store won: the take-over found its recap, completed the run and starts after its window.
                Assert.Equal(RunStatus.Completed, closed.Status);
                Assert.All(stores, s => Assert.Equal(recapId, s.Recap?.RecapId));
                Assert.Equal(abandoned.WindowEnd, next.WindowStart);
            }
            else
            {
                // The take-over won: the run failed as abandoned and every late store was refused.
                Assert.Equal(RunStatus.Failed, closed.Status);
                Assert.StartsWith("abandoned", closed.Error, StringComparison.Ordinal);
                Assert.All(stores, s => Assert.True(s.Refused?.NonRetryable));
                Assert.Equal(next.WindowEnd - Duration.FromTimeSpan(world.Options.Limits.DefaultLookback), next.WindowStart);
            }
        }
    }

    [Fact]
    public async Task ManyWorkflowsClaimTheSameDateAtOnce_ExactlyOneRuns()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            RecapWorld.RunActivity(() => world.Activities().ResolveChannelsAsync(new(schedule.Id, $"recap-racer-{i}", nominal + Duration.FromSeconds(i), null))))));

        Assert.Single(claims, c => !c.Skipped);
        Assert.All(claims.Where(c => c.Skipped), c => Assert.StartsWith("duplicate occurrence", c.SkipReason, StringComparison.Ordinal));
        Assert.Equal(16, await world.CountAsync("SELECT count(*) FROM schedule_runs"));
    }

    [Fact]
    public async Task ConsecutiveOccurrences_Windows_TileWithoutGapOrOverlap()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        // Two days between runs, more than the first run's 24-hour lookback: only the watermark closes the gap.
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"]) with
        {
            DaysOfWeek = WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday),
        });
        var occurrences = RecapWorld.Occurrences(schedule, 3);
        // Posts just before, exactly at and just after each boundary, plus one in each middle.
        var postTimes = occurrences.SelectMany(o => new[] { o.At - Duration.FromSeconds(1), o.At, o.At + Duration.FromSeconds(1) })
            .Append(occurrences[0].At - Duration.FromHours(3))
            .Append(occurrences[1].At - Duration.FromHours(30))
            .Where(t => t <= occurrences[^1].At)
            .ToList();
        var postIds = new List<string>();
        foreach (var time in postTimes)
        {
            postIds.Add((await world.Chat.AddPostAsync("dev", "bob", $"note at {time}", time))!);
        }

        // Extractive highlights keep up to five posts; every window here holds at most four.
        var covered = new List<string>();
        ResolvedOccurrence? previous = null;
        foreach (var occurrence in occurrences)
        {
            var (resolved, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrence.At));
            Assert.Equal(occurrence.At, resolved.WindowEnd);
            if (previous is not null)
            {
                Assert.Equal(previous.WindowEnd, resolved.WindowStart);
            }

            var stored = (await world.Recaps.FindByRunAsync(resolved.RunId))!;
            covered.AddRange(stored.Channels.SelectMany(c => c.Highlights).SelectMany(h => h.PostIds));
            Assert.Equal(stored.Channels.Sum(c => c.MessageCount), stored.Channels.Sum(c => c.Highlights.Count));
            previous = resolved;
        }

        Assert.Equal(postIds.Order(), covered.Order());
    }

    [Fact]
    public async Task FirstRecap_Window_StartsOneDefaultLookbackBeforeNominal()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;

        var (resolved, _) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, nominal));

        Assert.Equal(nominal - Duration.FromHours(24), resolved.WindowStart);
    }

    [Fact]
    public async Task LongPause_Window_IsCappedAtMaxLookback()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var occurrences = RecapWorld.Occurrences(schedule, 30);
        await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrences[0].At));

        var (resolved, _) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrences[29].At));

        Assert.Equal(occurrences[29].At - Duration.FromDays(7), resolved.WindowStart);
    }

    [Fact]
    public async Task SpecificChannels_UserLeftOne_ThatChannelIsLeftOut()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        await world.Chat.UpsertChannelAsync("ops", "Ops", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev", "ops"]));
        await world.Chat.UpsertChannelAsync("ops", "Ops", ["bob"]);

        var (resolved, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At));

        Assert.Equal(["dev"], resolved.Channels.Select(c => c.Id));
        Assert.Equal(1, recap!.ChannelCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OwnerRemovedFromAChannelAfterTheClaim_ItsPostsAreLeftOutAndItSaysAccessLost(bool allUnreads)
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        await world.Chat.UpsertChannelAsync("ops", "Ops", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(allUnreads ? [] : ["dev", "ops"]));
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        await world.Chat.AddPostAsync("dev", "bob", "the release is out", nominal - Duration.FromHours(1));
        await world.Chat.AddPostAsync("ops", "bob", "incident details for ops only", nominal - Duration.FromHours(1));
        var activities = world.Activities();
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(RecapWorld.Scheduled(schedule, nominal)));
        await world.Chat.UpsertChannelAsync("ops", "Ops", ["bob"]);

        var recap = await RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId)));

        Assert.Equal(["dev", "ops"], resolved.Channels.Select(c => c.Id));
        Assert.Equal((2, 1, 1), (recap.ChannelCount, recap.MessageCount, recap.FailedChannelCount));
        var stored = (await world.Recaps.FindByRunAsync(resolved.RunId))!;
        Assert.Equal("partial", stored.Status);
        var ops = stored.Channels.Single(c => c.ChannelId == "ops");
        Assert.Equal((0, 0, RunErrors.ChannelAccessLost), (ops.MessageCount, ops.Highlights.Count + ops.ActionItems.Count, ops.Error));
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM recaps WHERE channels::text LIKE '%incident details%'"));
    }

    [Fact]
    public async Task OwnerRemovedFromEveryChannelAfterTheClaim_RecapIsStoredSayingSoRatherThanRetried()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var (schedule, nominal) = await ScheduleWithPostAsync(world, "ship it");
        var activities = world.Activities();
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(RecapWorld.Scheduled(schedule, nominal)));
        await world.Chat.UpsertChannelAsync("dev", "DEV", ["bob"]);

        var recap = await RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId)));
        var marked = await RecapWorld.RunActivity(() => activities.MarkExecutedAsync(new(resolved.RunId)));

        Assert.Equal((1, 0, 1), (recap.ChannelCount, recap.MessageCount, recap.FailedChannelCount));
        Assert.Equal(RunErrors.ChannelAccessLost, Assert.Single((await world.Recaps.FindByRunAsync(resolved.RunId))!.Channels).Error);
        Assert.True(marked.Counted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ScheduleDeletedAfterTheClaim_NoRecapIsStoredAndTheRunIsRecordedSkipped(bool duringGeneration)
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var (schedule, nominal) = await ScheduleWithPostAsync(world, "ship it");
        var generator = new HookedGenerator(duringGeneration ? () => world.Schedules.DeleteAsync(schedule.Id) : () => Task.CompletedTask);
        var activities = world.Activities(generator: generator);
        var input = RecapWorld.Scheduled(schedule, nominal);
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(input));
        if (!duringGeneration)
        {
            await world.Schedules.DeleteAsync(schedule.Id);
        }

        var refused = await Assert.ThrowsAsync<ApplicationFailureException>(() => RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId))));
        // The workflow then records its failure, which leaves the skipped run as it is.
        await MarkFailedAsync(activities, schedule, input, RunErrors.ScheduleDeleted);

        Assert.Equal((RecapActivities.ScheduleDeletedType, true), (refused.ErrorType, refused.NonRetryable));
        // Deleted before generation, nothing is generated; deleted during it, nothing is stored.
        Assert.Equal(duringGeneration ? 1 : 0, generator.Calls);
        var run = (await world.Runs.GetAsync(resolved.RunId))!;
        Assert.Equal((RunStatus.Skipped, OccurrenceClaim.DeletedReason, null), (run.Status, run.Reason, run.RecapId));
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM recaps"));
        Assert.Equal(0, (await world.Schedules.GetAsync(schedule.Id))!.RunCount);
    }

    [Fact]
    public async Task AllUnreads_OnlyUnreadPostsOfChannelsWithUnreadPostsCount()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        await world.Chat.UpsertChannelAsync("ops", "Ops", [Alice]);
        await world.Chat.UpsertChannelAsync("hr", "HR", ["bob"]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily([]));
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        await world.Chat.AddPostAsync("dev", "bob", "read already", nominal - Duration.FromHours(5));
        await world.Chat.AddPostAsync("dev", "bob", "not read yet", nominal - Duration.FromHours(1));
        await world.Chat.AddPostAsync("ops", "bob", "read too", nominal - Duration.FromHours(5));
        await world.Chat.AddPostAsync("hr", "bob", "not alice's channel", nominal - Duration.FromHours(1));
        await world.Chat.MarkReadAsync("dev", Alice, nominal - Duration.FromHours(2));
        await world.Chat.MarkReadAsync("ops", Alice, nominal - Duration.FromHours(2));

        var (resolved, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, nominal));

        Assert.Equal(["dev"], resolved.Channels.Select(c => c.Id));
        Assert.Equal(1, recap!.MessageCount);
        var stored = (await world.Recaps.FindByRunAsync(resolved.RunId))!;
        Assert.Contains("not read yet", Assert.Single(Assert.Single(stored.Channels).Highlights).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneTimeSchedule_AfterItsRun_IsCompletedAndItsTemporalScheduleQueuedForDelete()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"], recurring: false));
        var only = Assert.Single(RecapWorld.Occurrences(schedule, 5));
        await world.CountAsync("UPDATE schedules SET sync_state = 'synced' WHERE id = $1 RETURNING 1", schedule.Id);

        await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, only.At));
        var late = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, only.At + Duration.FromDays(1)));

        var stored = await world.Schedules.GetAsync(schedule.Id);
        Assert.Equal(ScheduleStatus.Completed, stored!.Status);
        Assert.Equal(1, stored.RunCount);
        Assert.Equal("the one-time schedule has already run", late.Occurrence.SkipReason);
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM schedule_outbox WHERE operation = 'delete' AND schedule_id = $1", schedule.Id));
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM schedules WHERE sync_state = 'pending' AND id = $1", schedule.Id));

        // Completed is final: neither a pause nor a resume brings it back.
        Assert.Null(await world.Schedules.PauseAsync(schedule.Id, null));
        Assert.Null(await world.Schedules.ResumeAsync(schedule.Id));
        Assert.Equal(ScheduleStatus.Completed, (await world.Schedules.GetAsync(schedule.Id))!.Status);
    }

    [Fact]
    public async Task OneTimeSchedule_EditedWhileItsRunIsUnderway_StaysActiveForTheNewTime()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"], recurring: false));
        var only = Assert.Single(RecapWorld.Occurrences(schedule, 5));
        var activities = world.Activities();
        world.Clock.Reset(only.At);
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(RecapWorld.Scheduled(schedule, only.At)));
        await RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId)));

        world.Clock.Advance(Duration.FromMinutes(1));
        await world.Schedules.UpdateAsync(schedule.Id, Alice, schedule.Intent with { TimeOfDay = new LocalTime(17, 0) });
        var marked = await RecapWorld.RunActivity(() => activities.MarkExecutedAsync(new(resolved.RunId)));

        var stored = (await world.Schedules.GetAsync(schedule.Id))!;
        Assert.Equal((true, false), (marked.Counted, marked.ScheduleCompleted));
        Assert.Equal((ScheduleStatus.Active, 1), (stored.Status, stored.RunCount));
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM schedule_outbox WHERE operation = 'delete'"));
    }

    [Fact]
    public async Task OneTimeSchedule_RunNow_DoesNotCompleteIt()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"], recurring: false));
        var pending = (await world.Runs.RequestRunAsync(schedule.Id))!;

        await world.RunOccurrenceAsync(new(schedule.Id, pending.WorkflowId, pending.NominalTime, pending.Id));

        var stored = (await world.Schedules.GetAsync(schedule.Id))!;
        Assert.Equal((ScheduleStatus.Active, 1), (stored.Status, stored.RunCount));
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM schedule_outbox WHERE operation = 'delete'"));
    }

    [Fact]
    public async Task PausedByUser_Occurrence_IsSkippedWithTheReasonAndRecorded()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        await world.Schedules.PauseAsync(schedule.Id, "on holiday");

        var (resolved, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At));

        Assert.Equal("paused by the user: on holiday", resolved.SkipReason);
        Assert.Null(recap);
        var run = Assert.Single(await world.Runs.ListAsync(schedule.Id));
        Assert.Equal((RunStatus.Skipped, "paused by the user: on holiday"), (run.Status, run.Reason));
    }

    [Fact]
    public async Task PausedByUser_RunNowOnItsWay_IsSkippedWithTheReason()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var runId = Guid.NewGuid();
        await world.Schedules.PauseAsync(schedule.Id, "on holiday");

        var runNow = await world.RunOccurrenceAsync(new(schedule.Id, $"recap-{schedule.Id}-run-{runId}", RecapWorld.Occurrences(schedule, 1)[0].At, runId));

        Assert.Equal("paused by the user: on holiday", runNow.Occurrence.SkipReason);
        Assert.Null(runNow.Recap);
    }

    [Fact]
    public async Task PausedByOperator_RunNowOnItsWay_IsSkippedWithTheReason_AndTheOperatorsOwnStartRuns()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        var runId = Guid.NewGuid();
        // The reconciler saw the operator's `temporal schedule toggle --pause --reason maintenance`.
        await using (var paused = world.DataSource.CreateCommand(
            $"UPDATE schedules SET operator_paused_at = now(), operator_pause_reason = 'maintenance' WHERE id = '{schedule.Id}'"))
        {
            await paused.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var runNow = await world.RunOccurrenceAsync(new(schedule.Id, $"recap-{schedule.Id}-run-{runId}", nominal + Duration.FromMinutes(5), runId));
        var backfilled = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, nominal));

        Assert.Equal("paused by operator: maintenance", runNow.Occurrence.SkipReason);
        Assert.Null(runNow.Recap);
        var skipped = (await world.Runs.GetAsync(runNow.Occurrence.RunId))!;
        Assert.Equal((RunStatus.Skipped, "paused by operator: maintenance"), (skipped.Status, skipped.Reason));
        Assert.False(backfilled.Occurrence.Skipped);
        Assert.NotNull(backfilled.Recap);
    }

    [Fact]
    public async Task DeletedSchedule_Occurrence_IsSkipped()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        await world.Schedules.DeleteAsync(schedule.Id);

        var (resolved, _) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At));

        Assert.Equal("the schedule was deleted", resolved.SkipReason);
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM recaps"));
    }

    [Fact]
    public async Task ScheduleThatNeverExisted_Occurrence_IsSkippedWithoutARecord()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var missing = Guid.NewGuid();

        var (resolved, _) = await world.RunOccurrenceAsync(new(missing, $"recap-{missing}-x", RecapWorld.Start, null));

        Assert.Contains("does not exist", resolved.SkipReason, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM schedule_runs"));
    }

    [Fact]
    public async Task RunNow_IsItsOwnOccurrenceAndALaterFinishingScheduledRunCoversNothingNew()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        await world.Chat.AddPostAsync("dev", "bob", "before the occurrence", nominal - Duration.FromMinutes(10));
        var runId = Guid.NewGuid();
        var requestedAt = nominal + Duration.FromMinutes(5);

        // The run-now finishes first; the scheduled run (a late retry) ends before the watermark.
        var runNow = await world.RunOccurrenceAsync(new(schedule.Id, $"recap-{schedule.Id}-run-{runId}", requestedAt, runId));
        var scheduled = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, nominal));

        Assert.Equal(OccurrenceKeys.ForRunNow(runId), runNow.Occurrence.OccurrenceKey);
        Assert.Equal(requestedAt, runNow.Occurrence.WindowEnd);
        Assert.Equal(1, runNow.Recap!.MessageCount);
        Assert.Equal(scheduled.Occurrence.WindowStart, scheduled.Occurrence.WindowEnd);
        Assert.Equal(0, scheduled.Recap!.MessageCount);
        var run = (await world.Runs.GetAsync(scheduled.Occurrence.RunId))!;
        Assert.StartsWith("covers nothing new", run.Reason, StringComparison.Ordinal);
        Assert.Equal(2, (await world.Schedules.GetAsync(schedule.Id))!.RunCount);
    }

    [Fact]
    public async Task RequestedRunNow_Claim_TakesOverThePendingRunAndWindowEndsAtTheRequest()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        world.Clock.AdvanceHours(30);

        var pending = (await world.Runs.RequestRunAsync(schedule.Id))!;
        var (resolved, recap) = await world.RunOccurrenceAsync(new(schedule.Id, pending.WorkflowId, pending.NominalTime, pending.Id));

        Assert.Equal(pending.Id, resolved.RunId);
        Assert.Equal(world.Clock.GetCurrentInstant(), resolved.WindowEnd);
        Assert.NotNull(recap);
        var run = Assert.Single(await world.Runs.ListAsync(schedule.Id));
        Assert.Equal((RunStatus.Completed, $"recap-{schedule.Id}-run-{pending.Id}"), (run.Status, run.WorkflowId));
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM schedule_outbox WHERE operation = 'run' AND run_id = $1", pending.Id));
    }

    [Fact]
    public async Task RequestRun_OfDeletedSchedule_RecordsNothing()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        await world.Schedules.DeleteAsync(schedule.Id);

        Assert.Null(await world.Runs.RequestRunAsync(schedule.Id));
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM schedule_runs"));
    }

    [Fact]
    public async Task AnotherRunOfTheScheduleInProgress_Claim_FailsRetryablyUntilItEnds()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        var activities = world.Activities();
        var scheduled = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(RecapWorld.Scheduled(schedule, nominal)));
        var runId = Guid.NewGuid();
        var runNow = new ResolveChannelsInput(schedule.Id, $"recap-{schedule.Id}-run-{runId}", nominal + Duration.FromMinutes(1), runId);

        var blocked = await Assert.ThrowsAsync<ApplicationFailureException>(() => RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(runNow)));
        await RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(scheduled.RunId)));
        await RecapWorld.RunActivity(() => activities.MarkExecutedAsync(new(scheduled.RunId)));
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(runNow));

        Assert.Equal("OccurrenceInProgress", blocked.ErrorType);
        Assert.False(blocked.NonRetryable);
        Assert.Equal(nominal, resolved.WindowStart);
    }

    [Fact]
    public async Task OneChannelFails_RecapIsPartialWithThatChannelsError()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        await world.Chat.UpsertChannelAsync("ops", "Ops", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev", "ops"]));
        var activities = world.Activities(generator: new FailingGenerator("ops"));

        var (resolved, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At), activities);

        Assert.Equal(1, recap!.FailedChannelCount);
        var stored = (await world.Recaps.FindByRunAsync(resolved.RunId))!;
        Assert.Equal("partial", stored.Status);
        // The reader sees that the channel failed, not what the generator said (that is in the log).
        Assert.Equal(RunErrors.ChannelFailed, stored.Channels.Single(c => c.ChannelId == "ops").Error);
        Assert.Null(stored.Channels.Single(c => c.ChannelId == "dev").Error);
    }

    [Fact]
    public async Task EveryChannelFails_GenerateRecap_FailsRetryablyAndStoresNothing()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await CreateWithChannelAsync(world, "dev");
        var activities = world.Activities(generator: new FailingGenerator("dev"));
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At)));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId))));

        Assert.Equal("AllChannelsFailed", failure.ErrorType);
        Assert.False(failure.NonRetryable);
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM recaps"));
    }

    [Fact]
    public async Task WorkerCrashesMidGeneration_RetryOnAnotherWorker_StoresOneCompleteRecap()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        await world.Chat.UpsertChannelAsync("ops", "Ops", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev", "ops"]));
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        await world.Chat.AddPostAsync("ops", "bob", "deploy at noon", nominal - Duration.FromHours(1));
        var crashing = world.Activities(chat: new CrashingChatSource(world.Chat, crashOn: "ops"));
        var resolved = await RecapWorld.RunActivity(() => crashing.ResolveChannelsAsync(RecapWorld.Scheduled(schedule, nominal)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => RecapWorld.RunActivity(() => crashing.GenerateRecapAsync(new(resolved.RunId))));
        var (_, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, nominal));

        Assert.Equal((2, 1, 0), (recap!.ChannelCount, recap.MessageCount, recap.FailedChannelCount));
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM recaps"));
        Assert.Equal(1, (await world.Schedules.GetAsync(schedule.Id))!.RunCount);
    }

    [Fact]
    public async Task PostsBeyondMaxPostsPerChannel_OnlyTheNewestAreRead()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        world.Options.Limits.MaxPostsPerChannel = 3;
        var schedule = await CreateWithChannelAsync(world, "dev");
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        for (var i = 5; i >= 1; i--)
        {
            await world.Chat.AddPostAsync("dev", "bob", $"post {i} hours before", nominal - Duration.FromHours(i));
        }

        var (resolved, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, nominal));

        Assert.Equal(3, recap!.MessageCount);
        var texts = (await world.Recaps.FindByRunAsync(resolved.RunId))!.Channels.Single().Highlights.Select(h => h.Text);
        Assert.Equal(["bob: post 3 hours before", "bob: post 2 hours before", "bob: post 1 hours before"], texts);
    }

    private static Task MarkFailedAsync(RecapActivities activities, StoredSchedule schedule, ResolveChannelsInput input, string error) =>
        new Temporalio.Testing.ActivityEnvironment().RunAsync(() =>
            activities.MarkFailedAsync(new(schedule.Id, input.WorkflowId, input.NominalTime, error)));

    /// <summary>A daily schedule of alice's on #dev, its first occurrence, and a post an hour before it.</summary>
    private static async Task<(StoredSchedule Schedule, Instant Nominal)> ScheduleWithPostAsync(RecapWorld world, string message)
    {
        var schedule = await CreateWithChannelAsync(world, "dev");
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        await world.Chat.AddPostAsync("dev", "bob", message, nominal - Duration.FromHours(1));
        return (schedule, nominal);
    }

    private static async Task<StoredSchedule> CreateWithChannelAsync(RecapWorld world, string channel)
    {
        await world.Chat.UpsertChannelAsync(channel, channel.ToUpperInvariant(), [Alice]);
        return await world.Schedules.CreateAsync(Alice, RecapWorld.Daily([channel]));
    }

    private sealed class FailingGenerator(string failingChannel) : IRecapGenerator
    {
        private readonly ExtractiveRecapGenerator _inner = new();

        public string Agent => ExtractiveRecapGenerator.Name;

        public ValueTask<ChannelRecap> GenerateAsync(ChatChannel channel, IReadOnlyList<ChatPost> posts, RecapAudience audience, CancellationToken cancellationToken) =>
            channel.Id == failingChannel
                ? throw new InvalidOperationException($"generator failed for {channel.Id}")
                : _inner.GenerateAsync(channel, posts, audience, cancellationToken);
    }

    /// <summary>The extractive generator, running <paramref name="during"/> first: what happens between reading the posts and storing the recap.</summary>
    private sealed class HookedGenerator(Func<Task> during) : IRecapGenerator
    {
        private readonly ExtractiveRecapGenerator _inner = new();

        public int Calls { get; private set; }

        public string Agent => ExtractiveRecapGenerator.Name;

        public async ValueTask<ChannelRecap> GenerateAsync(ChatChannel channel, IReadOnlyList<ChatPost> posts, RecapAudience audience, CancellationToken cancellationToken)
        {
            Calls++;
            await during();
            return await _inner.GenerateAsync(channel, posts, audience, cancellationToken);
        }
    }

    /// <summary>Stands for a worker process dying while it reads a channel: the attempt ends with nothing stored.</summary>
    private sealed class CrashingChatSource(IChatSource inner, string crashOn) : IChatSource
    {
        public Task<IReadOnlyList<ChatChannel>> ReadableChannelsAsync(string userId, CancellationToken cancellationToken) =>
            inner.ReadableChannelsAsync(userId, cancellationToken);

        public Task<IReadOnlyList<UnreadChannel>> UnreadChannelsAsync(string userId, Instant after, Instant upTo, CancellationToken cancellationToken) =>
            inner.UnreadChannelsAsync(userId, after, upTo, cancellationToken);

        public Task<IReadOnlyList<ChatPost>?> PostsAsync(string userId, string channelId, Instant after, Instant upTo, int limit, CancellationToken cancellationToken) =>
            channelId == crashOn ? throw new InvalidOperationException("worker died") : inner.PostsAsync(userId, channelId, after, upTo, limit, cancellationToken);

        public Task<bool> AnyPostsAsync(string userId, IReadOnlyList<ChannelSince> channels, Instant upTo, CancellationToken cancellationToken) =>
            inner.AnyPostsAsync(userId, channels, upTo, cancellationToken);
    }
}
