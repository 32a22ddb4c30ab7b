using Recaps.Testing.Agents;
using Recaps.Workflows.Generation.Agents;
using static Recaps.Testing.Agents.FakeAnswers;
using static Recaps.Tests.Generation.Agents.FakeAgent;

namespace Recaps.Tests.Generation.Agents;

public class AgentFailureTests
{
    private static readonly string Ok = Answer([("fine", ["p1"])]);

    [Fact]
    public async Task RateLimited_WaitsTheRetryAfterThenSucceeds()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync(FakeReply.RateLimited(TimeSpan.FromSeconds(2)), FakeReply.Completion(Ok));

        var result = await Generator(Options(server)).GenerateAgentRecapAsync(Dev, Posts("fine"), Alice, AgentRun.Default, TestContext.Current.CancellationToken);

        Assert.Equal(["p1"], Assert.Single(result.Recap.Highlights).PostIds);
        var (first, second) = (server.Requests[0], server.Requests[1]);
        // Arrival times at the server: a lower bound only, so a slow machine cannot fail it; the
        // SDK's own first backoff (without the header) is under a second.
        Assert.True(second.ArrivedAt - first.ArrivedAt >= TimeSpan.FromSeconds(1.95), $"retried after {second.ArrivedAt - first.ArrivedAt}");
        Assert.Equal(1, result.Usage.Calls);
    }

    [Fact]
    public async Task RetryAfterOfAnHour_IsNotWaitedOut_TheCallGivesUpAtItsDeadline()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync(_ => FakeReply.RateLimited(TimeSpan.FromHours(1)));
        var options = Options(server);
        options.RequestTimeout = TimeSpan.FromSeconds(1);
        options.MaxRetries = 1;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(async () =>
            await Generator(options).GenerateAgentRecapAsync(Dev, Posts("fine"), Alice, AgentRun.Default, TestContext.Current.CancellationToken));

        Assert.Equal(AgentUnavailableException.ProviderError, failure.Reason);
        Assert.Contains($"within {options.CallDeadline}", failure.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        // Bounded by the deadline (3 s), not the hour asked for; generous for a loaded machine.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task PersistentServerError_ThrowsProviderErrorAfterTheRetries()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync(_ => FakeReply.Error(500, "The server had an error", "server_error"));
        var options = Options(server);

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(async () =>
            await Generator(options).GenerateAgentRecapAsync(Dev, Posts("fine"), Alice, AgentRun.Default, TestContext.Current.CancellationToken));

        Assert.Equal(AgentUnavailableException.ProviderError, failure.Reason);
        Assert.Contains("500", failure.Message, StringComparison.Ordinal);
        Assert.Equal(options.MaxRetries + 1, server.Requests.Count);
    }

    [Fact]
    public async Task PersistentRateLimit_ThrowsRateLimited()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync(_ => FakeReply.RateLimited(TimeSpan.Zero));

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(async () =>
            await Generator(Options(server)).GenerateAgentRecapAsync(Dev, Posts("fine"), Alice, AgentRun.Default, TestContext.Current.CancellationToken));

        Assert.Equal(AgentUnavailableException.RateLimited, failure.Reason);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task SlowAnswer_PastTheRequestTimeout_ThrowsProviderError()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync(_ => FakeReply.Completion(Ok) with { Delay = TimeSpan.FromSeconds(5) });
        var options = Options(server);
        options.MaxRetries = 0;
        options.RequestTimeout = TimeSpan.FromMilliseconds(300);

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(async () =>
            await Generator(options).GenerateAgentRecapAsync(Dev, Posts("fine"), Alice, AgentRun.Default, TestContext.Current.CancellationToken));

        Assert.Equal(AgentUnavailableException.ProviderError, failure.Reason);
    }

    [Fact]
    public async Task AnswerNotOfTheSchema_ThrowsInvalidOutput()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync(FakeReply.Completion("Here is your recap: all good!", usage: (300, 7)));

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(async () =>
            await Generator(Options(server)).GenerateAgentRecapAsync(Dev, Posts("fine"), Alice, AgentRun.Default, TestContext.Current.CancellationToken));

        Assert.Equal(AgentUnavailableException.InvalidOutput, failure.Reason);
        Assert.Equal((300L, 7L, 1), (failure.Usage.InputTokens, failure.Usage.OutputTokens, failure.Usage.Calls)); // spent all the same
    }

    [Fact]
    public async Task AnswerCutAtMaxOutputTokens_ThrowsInvalidOutput()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync(FakeReply.Completion("""{"highlights":[{"text":"the rel""") with { FinishReason = "length" });

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(async () =>
            await Generator(Options(server)).GenerateAgentRecapAsync(Dev, Posts("fine"), Alice, AgentRun.Default, TestContext.Current.CancellationToken));

        Assert.Equal(AgentUnavailableException.InvalidOutput, failure.Reason);
        Assert.Contains("MaxOutputTokens", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedRequest_ThrowsProviderErrorWithoutRetrying()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync(_ => FakeReply.Error(404, "The model `fake-model` does not exist", "invalid_request_error", "model_not_found"));

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(async () =>
            await Generator(Options(server)).GenerateAgentRecapAsync(Dev, Posts("fine"), Alice, AgentRun.Default, TestContext.Current.CancellationToken));

        Assert.Equal(AgentUnavailableException.ProviderError, failure.Reason);
        Assert.Contains("does not exist", failure.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task BudgetTooSmallForTheRequest_ThrowsBudgetExhaustedBeforeAnyCall()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync(FakeReply.Completion(Ok));
        var posts = Posts(string.Join(' ', Enumerable.Repeat("a long report about the outage", 100)));

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(async () =>
            await Generator(Options(server)).GenerateAgentRecapAsync(Dev, posts, Alice, new AgentRun(TokenBudget: 500), TestContext.Current.CancellationToken));

        Assert.Equal(AgentUnavailableException.BudgetExhausted, failure.Reason);
        Assert.Empty(server.Requests);
        Assert.Equal(0, failure.Usage.Calls);
    }

    [Fact]
    public async Task BudgetCoveringTheInputButNotTheLongestAnswer_ThrowsBudgetExhaustedBeforeAnyCall()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync(FakeReply.Completion(Ok));
        var options = Options(server);

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(async () =>
            await Generator(options).GenerateAgentRecapAsync(Dev, Posts("fine"), Alice, new AgentRun(TokenBudget: options.MaxOutputTokens), TestContext.Current.CancellationToken));

        Assert.Equal(AgentUnavailableException.BudgetExhausted, failure.Reason);
        Assert.Contains("MaxOutputTokens", failure.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task BudgetSpentByTheParts_ThrowsBudgetExhaustedBeforeTheNextCall()
    {
        await using var server = await FakeChatCompletionsServer.StartAsync(_ => FakeReply.Completion(Ok, usage: (2400, 900)));
        var options = Options(server);
        options.MaxInputTokens = 1500;
        // Enough for the parts as counted (input and MaxOutputTokens each); the provider reports more spent.
        options.MaxTokensPerRecap = 8000;
        var posts = Posts([.. Enumerable.Range(1, 30).Select(i => string.Join(' ', Enumerable.Repeat("the deploy pipeline needs another look", 8)))]);

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(async () =>
            await Generator(options).GenerateAgentRecapAsync(Dev, posts, Alice, AgentRun.Default, TestContext.Current.CancellationToken));

        // Each call may cost its input and MaxOutputTokens: after two (6600 spent) a third no longer fits.
        Assert.Equal(AgentUnavailableException.BudgetExhausted, failure.Reason);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal((2, 6600L), (failure.Usage.Calls, failure.Usage.TotalTokens));
    }
}
