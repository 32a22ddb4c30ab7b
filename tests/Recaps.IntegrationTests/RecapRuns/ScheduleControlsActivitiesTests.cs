using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.RecapRuns;

/// <summary>The user's controls over occurrences at the claim: skip dates and skip-if-empty.</summary>
public class ScheduleControlsActivitiesTests(PostgresFixture postgres)
{
    private const string Alice = "alice";

    [Fact]
    public async Task SkipDate_OccurrenceSkippedWithTheReason_AndTheNextRecapCoversItsPosts()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var daily = RecapWorld.Daily(["dev"]);
        var occurrences = RecurrenceEngine.Next(daily.RecurrenceFrom(RecapWorld.Start, TimeZoneData.BuiltIn), RecapWorld.Start, 3);
        var schedule = await world.Schedules.CreateAsync(Alice, daily with { SkipDates = new([occurrences[1].Date]) });
        await world.Chat.AddPostAsync("dev", "bob", "day one", occurrences[0].At - Duration.FromHours(1));
        await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrences[0].At));
        await world.Chat.AddPostAsync("dev", "bob", "on the skipped day", occurrences[1].At - Duration.FromHours(1));

        var (skipped, noRecap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrences[1].At));
        var afterSkip = (await world.Schedules.GetAsync(schedule.Id))!;
        await world.Chat.AddPostAsync("dev", "bob", "the day after", occurrences[2].At - Duration.FromHours(1));
        var (next, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrences[2].At));

        var reason = $"skip date: {occurrences[1].Date:uuuu'-'MM'-'dd} is in the schedule's skipDates";
        Assert.Equal(reason, skipped.SkipReason);
        Assert.Null(noRecap);
        Assert.Equal((occurrences[0].At, 1), (afterSkip.Watermark, afterSkip.RunCount));
        var run = (await world.Runs.ListAsync(schedule.Id))[1];
        Assert.Equal((RunStatus.Skipped, reason, occurrences[1].Date.ToString("uuuu'-'MM'-'dd", null)), (run.Status, run.Reason, run.OccurrenceKey));
        // The skipped day's posts are not lost: the next recap starts where the last one ended.
        Assert.Equal((occurrences[0].At, occurrences[2].At), (next.WindowStart, next.WindowEnd));
        Assert.Equal(2, recap!.MessageCount);
    }

    [Fact]
    public async Task SkipDate_RunNowThatDay_Runs()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var today = world.Clock.GetCurrentInstant().InZone(TimeZoneData.BuiltIn.Zones["America/New_York"]).Date;
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"]) with { SkipDates = new([today, today.PlusDays(1)]) });
        var pending = (await world.Runs.RequestRunAsync(schedule.Id))!;

        var (ran, recap) = await world.RunOccurrenceAsync(new(schedule.Id, pending.WorkflowId, pending.NominalTime, pending.Id));

        Assert.False(ran.Skipped);
        Assert.NotNull(recap);
    }

    [Fact]
    public async Task SkipIfEmpty_NoPosts_SkippedEmptyWithNoRecap_AndTheWatermarkMoves()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"]) with { SkipIfEmpty = true });
        var occurrences = RecapWorld.Occurrences(schedule, 2);
        var input = RecapWorld.Scheduled(schedule, occurrences[0].At);

        var (empty, recap) = await world.RunOccurrenceAsync(input);
        // A retried claim (its answer lost) gets the first answer.
        var retried = await RecapWorld.RunActivity(() => world.Activities().ResolveChannelsAsync(input));
        var stored = (await world.Schedules.GetAsync(schedule.Id))!;
        await world.Chat.AddPostAsync("dev", "bob", "after the empty day", occurrences[1].At - Duration.FromHours(1));
        var (next, nextRecap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, occurrences[1].At));

        Assert.Equal(OccurrenceClaim.EmptyReason, empty.SkipReason);
        Assert.Equal((empty.RunId, empty.SkipReason), (retried.RunId, retried.SkipReason));
        Assert.Single(await world.Runs.ListAsync(schedule.Id), r => r.NominalTime == occurrences[0].At);
        Assert.Null(recap);
        var run = (await world.Runs.ListAsync(schedule.Id))[1];
        Assert.Equal((RunStatus.Skipped, "empty"), (run.Status, run.Reason));
        Assert.NotNull(run.CompletedAt);
        Assert.Equal((occurrences[0].At, 0), (stored.Watermark, stored.RunCount));
        Assert.Equal(occurrences[0].At, next.WindowStart);
        Assert.Equal(1, nextRecap!.MessageCount);
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM recaps"));
    }

    [Fact]
    public async Task SkipIfEmpty_PostsOnlyInAChannelTheOwnerLeft_SkippedEmpty()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        await world.Chat.UpsertChannelAsync("ops", "Ops", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev", "ops"]) with { SkipIfEmpty = true });
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        await world.Chat.AddPostAsync("ops", "bob", "ops only", nominal - Duration.FromHours(1));
        await world.Chat.UpsertChannelAsync("ops", "Ops", ["bob"]);

        var (resolved, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, nominal));

        Assert.Equal(OccurrenceClaim.EmptyReason, resolved.SkipReason);
        Assert.Null(recap);
    }

    [Fact]
    public async Task SkipIfEmpty_AllUnreadsWithOnlyReadPosts_SkippedEmpty()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily([]) with { SkipIfEmpty = true });
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        await world.Chat.AddPostAsync("dev", "bob", "read already", nominal - Duration.FromHours(3));
        await world.Chat.MarkReadAsync("dev", Alice, nominal - Duration.FromHours(2));

        var (resolved, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, nominal));

        Assert.Equal(OccurrenceClaim.EmptyReason, resolved.SkipReason);
        Assert.Null(recap);
    }

    [Fact]
    public async Task SkipIfEmpty_PostsInTheWindow_Recaps()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        await world.Chat.UpsertChannelAsync("ops", "Ops", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev", "ops"]) with { SkipIfEmpty = true });
        var nominal = RecapWorld.Occurrences(schedule, 1)[0].At;
        await world.Chat.AddPostAsync("ops", "bob", "the second channel has one", nominal - Duration.FromHours(1));

        var (resolved, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, nominal));

        Assert.False(resolved.Skipped);
        Assert.Equal(1, recap!.MessageCount);
    }

    [Fact]
    public async Task SkipIfEmpty_RunNowWithNoPosts_StoresItsRecap()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"]) with { SkipIfEmpty = true });
        var pending = (await world.Runs.RequestRunAsync(schedule.Id))!;

        var (ran, recap) = await world.RunOccurrenceAsync(new(schedule.Id, pending.WorkflowId, pending.NominalTime, pending.Id));

        Assert.False(ran.Skipped);
        Assert.Equal(0, recap!.MessageCount);
    }

    [Fact]
    public async Task SkipIfEmpty_OneTimeWithNoPosts_CompletesTheSchedule()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"], recurring: false) with { SkipIfEmpty = true });

        var (resolved, _) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At));

        Assert.Equal(OccurrenceClaim.EmptyReason, resolved.SkipReason);
        Assert.Equal(ScheduleStatus.Completed, (await world.Schedules.GetAsync(schedule.Id))!.Status);
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM schedule_outbox WHERE operation = 'delete'"));
    }
}
