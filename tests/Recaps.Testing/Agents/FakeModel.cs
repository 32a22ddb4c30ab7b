using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Recaps.Testing.Agents;

/// <summary>
/// How tests and benchmarks play the model behind a <see cref="FakeChatCompletionsServer"/>: answers
/// in the recap's JSON shape, and what they read back from the requests it received.
/// </summary>
public static class FakeModel
{
    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForEncoding("o200k_base");

    /// <summary>A model answer: highlights and action items as (text, cited ids).</summary>
    public static string Answer(IEnumerable<(string Text, string[] PostIds)> highlights, IEnumerable<(string Text, string[] PostIds)>? actionItems = null) =>
        JsonSerializer.Serialize(new
        {
            highlights = highlights.Select(h => new { text = h.Text, postIds = h.PostIds }),
            actionItems = (actionItems ?? []).Select(a => new { text = a.Text, postIds = a.PostIds }),
        });

    /// <summary>A model summarising in parts: each part's answer cites its first and last post, the merge every id it was shown.</summary>
    public static FakeReply PartsThenMerge(RecordedRequest request)
    {
        var ids = DataIds(request);
        return FakeReply.Completion(Data(request).TryGetProperty("posts", out _)
            ? Answer([($"part from {ids[0]}", [ids[0], ids[^1]])], [($"todo in {ids[0]}", [ids[^1]])])
            : Answer([("merged", [.. ids.Distinct()])], [("merged todo", [ids[^1]])]));
    }

    /// <summary>The JSON object between the data message's tags.</summary>
    public static JsonElement Data(RecordedRequest request)
    {
        var content = request.Messages[^1].Content;
        Assert.StartsWith("<data>\n", content, StringComparison.Ordinal);
        Assert.EndsWith("\n</data>", content, StringComparison.Ordinal);
        return JsonDocument.Parse(content["<data>\n".Length..^"\n</data>".Length]).RootElement;
    }

    /// <summary>Every post id the request's data holds (posts' ids, or partial recaps' cited ids).</summary>
    public static List<string> DataIds(RecordedRequest request)
    {
        var data = Data(request);
        return data.TryGetProperty("posts", out var posts)
            ? [.. posts.EnumerateArray().Select(p => p.GetProperty("id").GetString()!)]
            : [.. data.GetProperty("partialRecaps").EnumerateArray().SelectMany(p => p.GetProperty("postIds").EnumerateArray()).Select(id => id.GetString()!)];
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
