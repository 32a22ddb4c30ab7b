using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.ServiceDefaults;
using Recaps.Tests.RecapRuns;
using Recaps.Tests.Sync;
using Recaps.Tests.Telemetry;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Retention;
using Recaps.Workflows.Storage;

namespace Recaps.Tests.Retention;

public class RetentionServiceTests(PostgresFixture postgres)
{
    private const string Alice = "alice";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProcessedOutbox_PastRetention_GoesWhilePendingRowsStayHoweverOld()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        var applied = await world.CreateAsync();
        var waiting = await world.CreateAsync();
        // The changes of `waiting` never reach Temporal: they are retried all along.
        world.Temporal.FailWhen = call => call.ScheduleId == SyncWorld.TemporalId(waiting) ? new InvalidOperationException("refused") : null;
        await world.SyncOnceAsync();
        world.Clock.Advance(Duration.FromDays(6));
        await world.Schedules.PauseAsync(applied.Id, null, Token);
        await world.SyncOnceAsync();
        world.Clock.Advance(Duration.FromDays(30));
        await world.Schedules.UpdateAsync(applied.Id, Alice, RecapWorld.Daily(["dev"]) with { Title = "Later" }, Token);

        // The create of `applied` was applied 36 days ago, its pause 30 days ago; the create of
        // `waiting` (36 days old) and the update of `applied` still wait.
        var purged = await Purger(world.World).PurgeOnceAsync(Token);

        Assert.Equal(new Dictionary<string, long> { ["schedule_outbox"] = 2 }, purged);
        Assert.Equal(
            [(waiting.Id, OutboxOperation.Upsert.ToText(), false), (applied.Id, OutboxOperation.Upsert.ToText(), false)],
            await OutboxAsync(world.World));

        // Applied at last, the rows stay for their week.
        world.Temporal.FailWhen = null;
        world.Clock.Advance(Duration.FromDays(1));
        await world.SyncOnceAsync();
        Assert.Equal(0, await world.UnprocessedAsync());
        world.Clock.Advance(Duration.FromDays(7));
        Assert.Empty(await Purger(world.World).PurgeOnceAsync(Token));
        world.Clock.Advance(Duration.FromSeconds(1));
        Assert.Equal(new Dictionary<string, long> { ["schedule_outbox"] = 2 }, await Purger(world.World).PurgeOnceAsync(Token));
    }

    [Fact]
    public async Task AgentTokenSpend_OfDaysPastRetention_GoesAndTodaysStillCounts()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var today = AgentTokenSpend.Day(world.Clock.GetCurrentInstant());
        await world.Spend.RecordAsync(Alice, today.PlusDays(-3), "old", 10, Token);
        await world.Spend.RecordAsync(Alice, today.PlusDays(-2), "kept", 20, Token);
        await world.Spend.RecordAsync(Alice, today, "today", 30, Token);

        var purged = await Purger(world).PurgeOnceAsync(Token);

        Assert.Equal(new Dictionary<string, long> { ["agent_token_spend"] = 1 }, purged);
        Assert.Equal((20L, 30L), (await world.Spend.SpentAsync(Alice, today.PlusDays(-2), Token), await world.Spend.SpentAsync(Alice, today, Token)));
    }

    [Fact]
    public async Task IdempotencyKeys_PastRetention_GoAndFreshOnesStillReplay()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        var intent = RecapWorld.Daily(["dev"]);
        var old = await world.Schedules.CreateAsync(new NewSchedule(Alice, intent, 10, "old-key", "hash"), Token);
        world.Clock.Advance(Duration.FromDays(6));
        var fresh = await world.Schedules.CreateAsync(new NewSchedule(Alice, intent, 10, "fresh-key", "hash"), Token);
        world.Clock.Advance(Duration.FromDays(2));

        var purged = await Purger(world).PurgeOnceAsync(Token);

        Assert.Equal(new Dictionary<string, long> { ["idempotency_keys"] = 1 }, purged);
        var replay = await world.Schedules.CreateAsync(new NewSchedule(Alice, intent, 10, "fresh-key", "hash"), Token);
        Assert.Equal((ScheduleCreationOutcome.Replayed, fresh.Schedule!.Id), (replay.Outcome, replay.Schedule!.Id));
        // Past its replay window a key is forgotten: it makes a new schedule.
        var reused = await world.Schedules.CreateAsync(new NewSchedule(Alice, intent, 10, "old-key", "hash"), Token);
        Assert.Equal(ScheduleCreationOutcome.Created, reused.Outcome);
        Assert.NotEqual(old.Schedule!.Id, reused.Schedule!.Id);
    }

    [Fact]
    public async Task DeletedSchedule_PastRetention_GoesWithItsRunsAndRecaps_ButNotWhileItsTemporalDeleteWaits()
    {
        await using var world = await SyncWorld.CreateAsync(postgres);
        await world.World.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var gone = await world.Schedules.CreateAsync(new NewSchedule(Alice, RecapWorld.Daily(["dev"]), 10, "key", "hash"), Token);
        var stuck = await world.CreateAsync();
        var recent = await world.CreateAsync();
        var live = await world.CreateAsync();
        await world.SyncOnceAsync();
        foreach (var schedule in new[] { gone.Schedule!, stuck, live })
        {
            await world.World.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At));
        }

        await world.Schedules.DeleteAsync(gone.Schedule!.Id, Token);
        await world.SyncOnceAsync();
        // The delete of `stuck` never reaches Temporal: its Temporal schedule still fires.
        world.Temporal.FailWhen = call => call.ScheduleId == SyncWorld.TemporalId(stuck) ? new InvalidOperationException("refused") : null;
        await world.Schedules.DeleteAsync(stuck.Id, Token);
        await world.SyncOnceAsync();
        world.Clock.Advance(Duration.FromDays(20));
        await world.Schedules.DeleteAsync(recent.Id, Token);
        await world.SyncOnceAsync();
        world.Clock.Advance(Duration.FromDays(11));

        var purged = await Purger(world.World).PurgeOnceAsync(Token);

        Assert.Equal(
            new Dictionary<string, long> { ["schedule_outbox"] = 6, ["idempotency_keys"] = 1, ["recaps"] = 1, ["schedule_runs"] = 1, ["schedules"] = 1 },
            purged);
        Assert.Null(await world.Schedules.GetAsync(gone.Schedule.Id, Token));
        Assert.Equal(0, await ReferencesAsync(world.World, gone.Schedule.Id));
        Assert.NotNull(await world.Schedules.GetAsync(stuck.Id, Token));
        Assert.Equal(1, await world.World.CountAsync("SELECT count(*) FROM recaps WHERE schedule_id = $1", stuck.Id));
        Assert.NotNull(world.Temporal.Get(SyncWorld.TemporalId(stuck)));
        Assert.NotNull(await world.Schedules.GetAsync(recent.Id, Token));
        Assert.NotNull(await world.Schedules.GetAsync(live.Id, Token));
        Assert.Single(await world.Runs.ListAsync(live.Id, cancellationToken: Token));

        // Once its delete is applied, `stuck` waits only for that outbox row's week.
        world.Temporal.FailWhen = null;
        world.Clock.Advance(Duration.FromHours(1));
        await world.SyncOnceAsync();
        Assert.Null(world.Temporal.Get(SyncWorld.TemporalId(stuck)));
        world.Clock.Advance(Duration.FromDays(7) + Duration.FromSeconds(1));
        await Purger(world.World).PurgeOnceAsync(Token);
        Assert.Null(await world.Schedules.GetAsync(stuck.Id, Token));
        Assert.Equal(0, await ReferencesAsync(world.World, stuck.Id));
    }

    [Fact]
    public async Task Runs_PastRetention_GoWithTheirRecaps_ButNotTheWatermarkRunNorUnfinishedOnes()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"]), Token);
        var occurrences = RecapWorld.Occurrences(schedule, 3);
        var first = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrences[0].At));
        var duplicate = await world.RunOccurrenceAsync(new(schedule.Id, "recap-manual-trigger", occurrences[0].At, null));
        var watermark = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrences[1].At));
        // A run-now still on its way to Temporal, and a run whose workflow is still at it.
        var pending = (await world.Runs.RequestRunAsync(schedule.Id, Token))!;
        var running = await RecapWorld.RunActivity(() => world.Activities().ResolveChannelsAsync(RecapWorld.Scheduled(schedule, occurrences[2].At)));
        world.Clock.Advance(Duration.FromDays(400));

        var purged = await Purger(world).PurgeOnceAsync(Token);

        Assert.Equal(new Dictionary<string, long> { ["recaps"] = 1, ["schedule_runs"] = 2 }, purged);
        Assert.True(duplicate.Occurrence.Skipped);
        Assert.Equal(
            new[] { watermark.Occurrence.RunId, pending.Id, running.RunId }.Order(),
            (await world.Runs.ListAsync(schedule.Id, cancellationToken: Token)).Select(r => r.Id).Order());
        Assert.Null(await world.Recaps.FindByRunAsync(first.Occurrence.RunId, Token));
        Assert.NotNull(await world.Recaps.FindByRunAsync(watermark.Occurrence.RunId, Token));
    }

    [Fact]
    public async Task NextRecap_AfterItsScheduleRunsWerePurged_StartsAtTheWatermark_NoPostSkippedOrRepeated()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"]), Token);
        var occurrences = RecapWorld.Occurrences(schedule, 3);
        // Posts either side of each boundary and in each middle.
        var postIds = new List<string>();
        foreach (var time in occurrences.SelectMany(o => new[] { o.At - Duration.FromHours(20), o.At - Duration.FromSeconds(1), o.At, o.At + Duration.FromSeconds(1) }))
        {
            postIds.Add((await world.Chat.AddPostAsync("dev", "bob", $"note at {time}", time))!);
        }

        var covered = new List<string>();
        var windows = new List<(Instant Start, Instant End)>();
        foreach (var occurrence in occurrences)
        {
            world.Clock.Reset(occurrence.At);
            if (occurrence == occurrences[^1])
            {
                // A day's retention, an hour after the last occurrence: of the earlier runs, only the one that set the watermark is left.
                world.Clock.Advance(Duration.FromHours(1));
                var purged = await Purger(world, new RetentionOptions { Runs = TimeSpan.FromDays(1) }).PurgeOnceAsync(Token);
                Assert.Equal(new Dictionary<string, long> { ["recaps"] = 1, ["schedule_runs"] = 1 }, purged);
            }

            var (resolved, _) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrence.At));
            windows.Add((resolved.WindowStart, resolved.WindowEnd));
            covered.AddRange((await world.Recaps.FindByRunAsync(resolved.RunId))!.Channels.SelectMany(c => c.Highlights).SelectMany(h => h.PostIds));
        }

        Assert.Equal(occurrences[1].At, windows[2].Start);
        Assert.Equal(postIds.Where((_, i) => i < postIds.Count - 1).Order(), covered.Order());
    }

    [Fact]
    public async Task Purge_SmallBatchesAndACap_DeletesAtMostBatchSizeRowsPerStatementAndStopsAtTheCap()
    {
        await using var world = await WithExpiredKeysAsync(5);
        using var metrics = new RecordedMetrics(world.MeterFactory);
        var purger = Purger(world, new RetentionOptions { BatchSize = 2, MaxBatchesPerPass = 2 });

        // Two statements of at most two rows each: four keys, the fifth left for the next pass.
        Assert.Equal(new Dictionary<string, long> { ["idempotency_keys"] = 4 }, await purger.PurgeOnceAsync(Token));
        Assert.Equal(new Dictionary<string, long> { ["idempotency_keys"] = 1 }, await purger.PurgeOnceAsync(Token));
        Assert.Empty(await purger.PurgeOnceAsync(Token));
        Assert.Equal(5, metrics.Sum("recaps.retention.purged", "table", "idempotency_keys"));
        Assert.Equal(5, metrics.Sum("recaps.retention.purged"));
    }

    [Fact]
    public async Task Purge_SeveralWorkersAtOnce_PurgeEveryRowOnceWithoutErrors()
    {
        await using var world = await WithExpiredKeysAsync(40);

        var passes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            Purger(world, new RetentionOptions { BatchSize = 3 }).PurgeOnceAsync(Token))));

        Assert.Equal(40, passes.Sum(p => p.GetValueOrDefault("idempotency_keys")));
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM idempotency_keys"));
    }

    [Fact]
    public void RetentionOptions_BadValues_NameEverySetting()
    {
        var options = new RetentionOptions
        {
            ProcessedOutbox = TimeSpan.FromHours(1),
            IdempotencyKeys = TimeSpan.Zero,
            DeletedSchedules = TimeSpan.FromHours(23),
            Runs = TimeSpan.FromDays(-1),
            Interval = TimeSpan.FromSeconds(1),
            BatchSize = 0,
            MaxBatchesPerPass = 0,
        };

        Assert.Equal(
            [
                "Recaps:Retention:ProcessedOutbox", "Recaps:Retention:IdempotencyKeys", "Recaps:Retention:DeletedSchedules", "Recaps:Retention:Runs",
                "Recaps:Retention:Interval", "Recaps:Retention:BatchSize", "Recaps:Retention:MaxBatchesPerPass",
            ],
            options.Problems().Select(p => p.Split(' ')[0]));
        Assert.Empty(new RetentionOptions().Problems());
    }

    [Fact]
    public async Task WorkerHost_WithInvalidRetentionOptions_FailsAtStartNamingEachSetting()
    {
        using var host = BuildWorker(new()
        {
            ["Recaps:Retention:Runs"] = "12:00:00",
            ["Recaps:Retention:BatchSize"] = "0",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token));

        Assert.Contains("Recaps:Retention:Runs must be at least 1 day", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recaps:Retention:BatchSize must be between", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkerHost_Always_HostsThePurge()
    {
        using var host = BuildWorker([]);

        Assert.Single(host.Services.GetServices<IHostedService>().OfType<RetentionService>());
    }

    private static IHost BuildWorker(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Recaps"] = "Host=localhost",
            ["Temporal:Address"] = "127.0.0.1:1",
        });
        builder.AddRecapsCore();
        builder.AddRecapsWorker();
        builder.AddRecapsSync();
        return builder.Build();
    }

    /// <summary>A world with <paramref name="count"/> schedules created with a key eight days ago (a day past the keys' retention).</summary>
    private async Task<RecapWorld> WithExpiredKeysAsync(int count)
    {
        var world = await RecapWorld.CreateAsync(postgres);
        for (var i = 0; i < count; i++)
        {
            await world.Schedules.CreateAsync(new NewSchedule(Alice, RecapWorld.Daily(["dev"]), count, $"key-{i}", "hash"), Token);
        }

        world.Clock.Advance(Duration.FromDays(8));
        return world;
    }

    private static RetentionService Purger(RecapWorld world, RetentionOptions? options = null) => new(
        world.DataSource, Options.Create(options ?? new RetentionOptions()), world.Clock, world.Metrics,
        NullLogger<RetentionService>.Instance);

    /// <summary>The outbox, oldest first: schedule, operation, applied.</summary>
    private static async Task<List<(Guid, string, bool)>> OutboxAsync(RecapWorld world)
    {
        await using var command = world.DataSource.CreateCommand("SELECT schedule_id, operation, processed_at IS NOT NULL FROM schedule_outbox ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(Token);
        var rows = new List<(Guid, string, bool)>();
        while (await reader.ReadAsync(Token))
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        return rows;
    }

    /// <summary>Rows of every table that names the schedule.</summary>
    private static Task<long> ReferencesAsync(RecapWorld world, Guid scheduleId) => world.CountAsync("""
        SELECT (SELECT count(*) FROM schedule_outbox WHERE schedule_id = $1) + (SELECT count(*) FROM schedule_runs WHERE schedule_id = $1)
             + (SELECT count(*) FROM recaps WHERE schedule_id = $1) + (SELECT count(*) FROM idempotency_keys WHERE schedule_id = $1)
        """, scheduleId);
}
