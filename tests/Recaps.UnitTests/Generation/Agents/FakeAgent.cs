using NodaTime;
using Recaps.Testing.Agents;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Generation.Agents;

namespace Recaps.Tests.Generation.Agents;

/// <summary>An LLM agent against a <see cref="FakeChatCompletionsServer"/>: its options, channel, audience and posts.</summary>
internal static class FakeAgent
{
    public const string Model = "fake-model";

    public static readonly ChatChannel Dev = new("dev", "Dev");
    public static readonly RecapAudience Alice = new("alice", "Standup digest", null);

    public static AgentOptions Options(FakeChatCompletionsServer server) => new()
    {
        Endpoint = server.Endpoint,
        Model = Model,
        ApiKey = "test-key",
        MaxRetries = 1,
    };

    public static LlmRecapGenerator Generator(AgentOptions options) => LlmRecapGenerator.Create("gpt", options, TimeProvider.System);

    public static List<ChatPost> Posts(params string[] messages) =>
        [.. messages.Select((message, i) => new ChatPost($"p{i + 1}", "dev", "bob", message, Instant.FromUtc(2026, 5, 4, 12, 0) + Duration.FromMinutes(i)))];
}
