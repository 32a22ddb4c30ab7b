using System.Text.Json;

namespace Recaps.Testing.Agents;

/// <summary>What tests script a fake model to answer, and read back from what it was sent.</summary>
public static class FakeAnswers
{
    /// <summary>A model answer: highlights and action items as (text, cited ids).</summary>
    public static string Answer(IEnumerable<(string Text, string[] PostIds)> highlights, IEnumerable<(string Text, string[] PostIds)>? actionItems = null) =>
        JsonSerializer.Serialize(new
        {
            highlights = highlights.Select(h => new { text = h.Text, postIds = h.PostIds }),
            actionItems = (actionItems ?? []).Select(a => new { text = a.Text, postIds = a.PostIds }),
        });

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
}
