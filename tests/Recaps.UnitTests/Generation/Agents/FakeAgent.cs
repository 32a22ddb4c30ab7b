using Microsoft.ML.Tokenizers;
using NodaTime;
using Recaps.Testing.Agents;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Generation.Agents;
using static Recaps.Testing.Agents.FakeAnswers;

namespace Recaps.Tests.Generation.Agents;

/// <summary>An LLM agent against a <see cref="FakeChatCompletionsServer"/>, and what its tests read back from the requests.</summary>
internal static class FakeAgent
{
    public const string Model = "fake-model";

    public static readonly ChatChannel Dev = new("dev", "Dev");
    public static readonly RecapAudience Alice = new("alice", "Standup digest", null);

    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForEncoding("o200k_base");

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

    /// <summary>A model summarising in parts: each part's answer cites its first and last post, the merge every id it was shown.</summary>
    public static FakeReply PartsThenMerge(RecordedRequest request)
    {
        var ids = DataIds(request);
        return FakeReply.Completion(Data(request).TryGetProperty("posts", out _)
            ? Answer([($"part from {ids[0]}", [ids[0], ids[^1]])], [($"todo in {ids[0]}", [ids[^1]])])
            : Answer([("merged", [.. ids.Distinct()])], [("merged todo", [ids[^1]])]));
    }

    /// <summary>
    /// The request's tokens counted here, independently, from what reached the server: OpenAI's
    /// chat framing (3 per message and 3 for the reply) plus each role, content and the schema sent.
    /// </summary>
    public static int CountSent(RecordedRequest request)
    {
        var schema = request.Body.GetProperty("response_format").GetProperty("json_schema").GetProperty("schema").GetRawText();
        return 3 + O200k.CountTokens(schema) + request.Messages.Sum(m => 3 + O200k.CountTokens(m.Role) + O200k.CountTokens(m.Content));
    }

    public static int Count(string text) => O200k.CountTokens(text);
}
