using Microsoft.Extensions.Logging.Abstractions;
using Recaps.Testing.Agents;
using Recaps.Tests.Telemetry;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Generation.Agents;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;
using static Recaps.Testing.Agents.FakeModel;

namespace Recaps.Tests.RecapRuns;

/// <summary>Recaps by an LLM agent through the activities and the real store, the provider a fake speaking the OpenAI wire format.</summary>
public class AgentRecapTests(PostgresFixture postgres)
{
    private const string Alice = "alice";
    private const string Model = "fake-model";
    private static readonly HashSet<string> Agents = ["extractive", "gpt"];

    [Fact]
    public async Task LlmAgent_StoresItsCitedRecapAndUsage_AndARetryNeitherCallsNorCountsTheDayAgain()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(request =>
            FakeReply.Completion(Answer([("Release shipped", [.. DataIds(request), "invented"])]), usage: (300, 40)));
        await using var world = await RecapWorld.CreateAsync(postgres);
        using var metrics = new RecordedMetrics(world.MeterFactory);
        var schedule = await AgentScheduleAsync(world, "dev");
        var activities = world.Activities(generator: Agent(provider));

        var (occurrence, generated) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At), activities);
        var again = await RecapWorld.RunActivity(() => world.Activities(generator: Agent(provider)).GenerateRecapAsync(new(occurrence.RunId)));

        Assert.Equal(generated, again);
        var recap = (await world.Recaps.FindByRunAsync(occurrence.RunId))!;
        Assert.Equal(("gpt", (string?)null, 1), (recap.Agent, recap.FallbackReason, recap.Version));
        var highlight = Assert.Single(Assert.Single(recap.Channels).Highlights);
        Assert.Equal(DataIds(Assert.Single(provider.Requests)), highlight.PostIds);
        Assert.Equal(new RecapUsage(Model, 300, 40, 1, recap.Usage!.LatencyMs, 1), recap.Usage);
        Assert.Equal(340, await world.Spend.SpentAsync(Alice, AgentTokenSpend.Day(world.Clock.GetCurrentInstant())));
        Assert.Equal(300, metrics.Sum("recaps.agent.tokens", "direction", "input"));
        Assert.Equal(40, metrics.Sum("recaps.agent.tokens", "direction", "output"));
        Assert.Single(metrics.Of("recaps.agent.latency"));
        Assert.Equal(1, metrics.Sum("recaps.agent.dropped_citations"));
        Assert.Empty(metrics.Of("recaps.agent.fallbacks"));
    }

    [Theory]
    [InlineData(500, AgentUnavailableException.ProviderError)]
    [InlineData(429, AgentUnavailableException.RateLimited)]
    public async Task ProviderFailingThroughTheRetries_OnTheSecondChannel_TheWholeRecapIsExtractiveAndTheFirstChannelsTokensCount(int status, string reason)
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(request => request.Index == 0
            ? FakeReply.Completion(Answer([("Release shipped", [.. DataIds(request)])]), usage: (200, 20))
            : FakeReply.Error(status, "unavailable", "server_error", retryAfter: TimeSpan.Zero));
        await using var world = await RecapWorld.CreateAsync(postgres);
        using var metrics = new RecordedMetrics(world.MeterFactory);
        var schedule = await AgentScheduleAsync(world, "dev", "ops");

        var (occurrence, _) = await world.RunOccurrenceAsync(
            RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At), world.Activities(generator: Agent(provider)));

        Assert.Equal(3, provider.Requests.Count); // the first channel's call, the second's and its one retry
        var recap = (await world.Recaps.FindByRunAsync(occurrence.RunId))!;
        Assert.Equal(("gpt", reason), (recap.Agent, recap.FallbackReason));
        // Both channels as the extractive generator writes them: the post's author and text.
        Assert.All(recap.Channels, c => Assert.StartsWith("bob: ", Assert.Single(c.Highlights).Text, StringComparison.Ordinal));
        Assert.Equal((200L, 20L, 1), (recap.Usage!.InputTokens, recap.Usage.OutputTokens, recap.Usage.Calls));
        Assert.Equal(220, await world.Spend.SpentAsync(Alice, AgentTokenSpend.Day(world.Clock.GetCurrentInstant())));
        Assert.Equal(1, metrics.Sum("recaps.agent.fallbacks", "reason", reason));
    }

    [Fact]
    public async Task RecapBudget_SpentByTheFirstChannel_TheSecondIsNotCalledAndTheRecapFallsBack()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(request =>
            FakeReply.Completion(Answer([("Release shipped", [.. DataIds(request)])]), usage: (1200, 100)));
        await using var world = await RecapWorld.CreateAsync(postgres);
        var schedule = await AgentScheduleAsync(world, "dev", "ops");
        var options = Options(provider);
        options.MaxInputTokens = 1000;
        options.MaxOutputTokens = 100;
        options.MaxTokensPerRecap = 1500;

        var (occurrence, _) = await world.RunOccurrenceAsync(
            RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At), world.Activities(generator: LlmRecapGenerator.Create("gpt", options, TimeProvider.System)));

        Assert.Single(provider.Requests);
        var recap = (await world.Recaps.FindByRunAsync(occurrence.RunId))!;
        Assert.Equal((AgentUnavailableException.BudgetExhausted, 1300L), (recap.FallbackReason, recap.Usage!.InputTokens + recap.Usage.OutputTokens));
    }

    [Fact]
    public async Task UsersDayBudget_SpentByEarlierRecaps_FallsBackWithoutCallingTheProvider()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(request => FakeReply.Completion(Answer([("x", [.. DataIds(request)])])));
        await using var world = await RecapWorld.CreateAsync(postgres);
        world.Options.Limits.MaxAgentTokensPerUserPerDay = 1000;
        var schedule = await AgentScheduleAsync(world, "dev");
        var today = AgentTokenSpend.Day(world.Clock.GetCurrentInstant());
        await world.Spend.RecordAsync(Alice, today, "an earlier recap", 900);
        // Another user's spend and yesterday's are not Alice's today.
        await world.Spend.RecordAsync("bob", today, "bob's recap", 100_000);
        await world.Spend.RecordAsync(Alice, today.PlusDays(-1), "yesterday", 100_000);

        var (occurrence, _) = await world.RunOccurrenceAsync(
            RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At), world.Activities(generator: Agent(provider)));

        Assert.Empty(provider.Requests);
        var recap = (await world.Recaps.FindByRunAsync(occurrence.RunId))!;
        Assert.Equal((AgentUnavailableException.BudgetExhausted, 0), (recap.FallbackReason, recap.Usage!.Calls));
        Assert.Equal(900, await world.Spend.SpentAsync(Alice, today));
    }

    [Fact]
    public async Task DaysSpend_WrittenAgainUnderTheSameKey_CountsOnce_AndAnotherAttemptsCallsCountToo()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(request =>
            FakeReply.Completion(Answer([("x", [.. DataIds(request)])]), usage: (100, 10)));
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        await world.Chat.AddPostAsync("dev", "bob", "we shipped", RecapWorld.Start);
        var draft = new RecapDraft(
            Guid.NewGuid(), new RecapAudience(Alice, "Digest", null), [new RecapChannel("dev", "Dev", null)], RecapWorld.Start - NodaTime.Duration.FromHours(1), RecapWorld.Start + NodaTime.Duration.FromHours(1));
        var day = AgentTokenSpend.Day(world.Clock.GetCurrentInstant());

        // An attempt that wrote its spend and crashed before storing, run again as the same attempt, then retried.
        await world.Writer().WriteAsync(Agent(provider), draft, "run/v1/1", _ => { }, TestContext.Current.CancellationToken);
        await world.Writer().WriteAsync(Agent(provider), draft, "run/v1/1", _ => { }, TestContext.Current.CancellationToken);
        var once = await world.Spend.SpentAsync(Alice, day);
        await world.Writer().WriteAsync(Agent(provider), draft, "run/v1/2", _ => { }, TestContext.Current.CancellationToken);

        Assert.Equal((110L, 220L), (once, await world.Spend.SpentAsync(Alice, day)));
    }

    [Fact]
    public async Task Regeneration_RunTwice_StoresTheNextVersionOnceByTheAgentAskedFor()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(request =>
            FakeReply.Completion(Answer([("Release shipped", [.. DataIds(request)])]), usage: (50, 5)));
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        await world.Chat.AddPostAsync("dev", "bob", "we shipped the release", RecapWorld.Start + NodaTime.Duration.FromHours(10));
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"]));
        var (occurrence, generated) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At));
        var regenerations = new RecapRegenerations(world.DataSource, world.Clock);

        var requested = (await regenerations.RequestAsync(generated!.RecapId, Alice, "gpt", Agents))!.Requested!;
        var clicked = (await regenerations.RequestAsync(generated.RecapId, Alice, "gpt", Agents))!.Requested!;
        var activities = new RegenerationActivities(
            regenerations, world.Runs, world.Schedules, world.Recaps, new RecapGenerators([new ExtractiveRecapGenerator(), Agent(provider)]),
            world.Writer(), world.Clock, world.Metrics, NullLogger<RegenerationActivities>.Instance);
        var first = await RecapWorld.RunActivity(() => activities.RegenerateRecapAsync(new(requested.Id)));
        var second = await RecapWorld.RunActivity(() => activities.RegenerateRecapAsync(new(requested.Id)));

        Assert.Equal(requested, clicked);
        Assert.Equal(new RegeneratedRecap(requested.RecapId, 2, "gpt", null), first);
        Assert.Equal(first, second);
        Assert.Single(provider.Requests);
        var stored = (await world.Recaps.FindOwnedAsync(requested.RecapId, Alice))!;
        var original = (await world.Recaps.FindByRunAsync(occurrence.RunId))!;
        Assert.Equal((original.RunId, original.WindowStart, original.WindowEnd), (stored.RunId, stored.WindowStart, stored.WindowEnd));
        Assert.Equal(["extractive", "gpt"], (await world.Recaps.ListAsync(Alice, 10)).OrderBy(r => r.Version).Select(r => r.Agent));
        Assert.Equal(original.Id, (await world.Runs.GetAsync(occurrence.RunId))!.RecapId);
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM schedule_outbox WHERE operation = 'regenerate' AND regeneration_id = $1", requested.Id));
        // With the version stored, another request makes version 3.
        Assert.Equal(3, (await regenerations.RequestAsync(requested.RecapId, Alice, null, Agents))!.Requested!.Version);
    }

    [Fact]
    public async Task Regeneration_RecordedFailed_IsNoLongerWaiting_SoTheNextRequestMakesANewVersion()
    {
        await using var world = await RecapWorld.CreateAsync(postgres);
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"]));
        var (_, generated) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At));
        var regenerations = new RecapRegenerations(world.DataSource, world.Clock);
        var failed = (await regenerations.RequestAsync(generated!.RecapId, Alice, null, Agents))!.Requested!;
        var activities = new RegenerationActivities(
            regenerations, world.Runs, world.Schedules, world.Recaps, new RecapGenerators([new ExtractiveRecapGenerator()]),
            world.Writer(), world.Clock, world.Metrics, NullLogger<RegenerationActivities>.Instance);

        await RecapWorld.RunActivity(async () =>
        {
            await activities.MarkRegenerationFailedAsync(new(failed.Id, "timed_out: the run took too long; the next run tries again.", "deadline exceeded"));
            await activities.MarkRegenerationFailedAsync(new(failed.Id, "a later failure", null));
            return true;
        });
        var next = (await regenerations.RequestAsync(generated.RecapId, Alice, null, Agents))!.Requested!;

        Assert.Equal((2, 3), (failed.Version, next.Version));
        Assert.NotEqual(failed.RecapId, next.RecapId);
        // The first failure is the one kept.
        Assert.Equal(1, await world.CountAsync(
            "SELECT count(*) FROM recap_regenerations WHERE id = $1 AND failed_at IS NOT NULL AND error LIKE 'timed_out:%'", failed.Id));
    }

    private static AgentOptions Options(FakeChatCompletionsServer provider) => new() { Endpoint = provider.Endpoint, Model = Model, MaxRetries = 1 };

    private static LlmRecapGenerator Agent(FakeChatCompletionsServer provider) => LlmRecapGenerator.Create("gpt", Options(provider), TimeProvider.System);

    /// <summary>A daily schedule by the agent <c>gpt</c> over these channels, each with one post in its first window.</summary>
    private static async Task<StoredSchedule> AgentScheduleAsync(RecapWorld world, params string[] channels)
    {
        foreach (var channel in channels)
        {
            await world.Chat.UpsertChannelAsync(channel, channel.ToUpperInvariant(), [Alice]);
            await world.Chat.AddPostAsync(channel, "bob", $"we shipped the {channel} release", RecapWorld.Start + NodaTime.Duration.FromHours(10));
        }

        return await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(channels) with { Agent = "gpt" });
    }
}
