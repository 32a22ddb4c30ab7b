using System.Diagnostics;
using Recaps.Benchmarks.Workspace;
using Recaps.Testing.Agents;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Generation.Agents;

namespace Recaps.Benchmarks.Generation;

/// <summary>
/// <c>agent-map-reduce</c>: one channel of 5,000 posts through an LLM agent whose provider (the
/// in-process OpenAI-compatible fake) answers each request after 200 ms, at two request sizes. Prints
/// the calls, the tokens the agent counted against an independent count of what reached the
/// provider, the budget left, the time, and whether every citation is a post that was given.
/// </summary>
internal static class AgentMapReduceReport
{
    public const string Mode = "agent-map-reduce";

    private const int Posts = 5_000;
    private const long Budget = 500_000;
    private static readonly TimeSpan ProviderDelay = TimeSpan.FromMilliseconds(200);

    public static async Task<int> RunAsync()
    {
        var channel = new ChatChannel("dev", "Dev");
        var posts = new ChatCorpus(seed: 5_000).Channel(channel.Id, Posts);
        var audience = new RecapAudience("user-007", "Standup digest", null);
        var given = posts.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        Console.WriteLine($"{Posts} posts in one channel; provider answers after {ProviderDelay.TotalMilliseconds} ms; MaxTokensPerRecap {Budget}, MaxOutputTokens 1000");
        Console.WriteLine();
        Console.WriteLine("| MaxInputTokens | calls (parts + merges) | input tokens: agent | provider-side recount | output tokens | budget used | time | citations | all given |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        var failures = 0;
        foreach (var maxInputTokens in new[] { 8_000, 32_000 })
        {
            await using var provider = await FakeChatCompletionsServer.StartAsync(request => FakeModel.PartsThenMerge(request) with { Delay = ProviderDelay });
            var options = new AgentOptions { Endpoint = provider.Endpoint, Model = "fake-model", MaxInputTokens = maxInputTokens, MaxTokensPerRecap = Budget };
            var generator = LlmRecapGenerator.Create("bench", options, TimeProvider.System);
            var clock = Stopwatch.StartNew();
            var result = await generator.GenerateAgentRecapAsync(channel, posts, audience, AgentRun.Default, CancellationToken.None);
            clock.Stop();
            var recounted = provider.Requests.Sum(FakeModel.CountSent);
            var merges = provider.Requests.Count(r => !FakeModel.Data(r).TryGetProperty("posts", out _));
            var cited = result.Recap.Highlights.Concat(result.Recap.ActionItems).SelectMany(i => i.PostIds).ToList();
            var allGiven = cited.All(given.Contains) && result.DroppedCitations == 0;
            var countsAgree = recounted == result.Usage.InputTokens && provider.Requests.Count == result.Usage.Calls;
            failures += allGiven && countsAgree && result.Usage.TotalTokens <= Budget ? 0 : 1;
            Console.WriteLine(
                $"| {maxInputTokens:N0} | {result.Usage.Calls} ({result.Usage.Calls - merges} + {merges}) | {result.Usage.InputTokens:N0} | {recounted:N0}{(countsAgree ? "" : " DIFFERS")} | {result.Usage.OutputTokens:N0} | " +
                $"{result.Usage.TotalTokens * 100.0 / Budget:F0} % | {clock.Elapsed.TotalSeconds:F2} s | {cited.Count} | {(allGiven ? "yes" : "NO")} |");
        }

        return failures == 0 ? 0 : 1;
    }
}
