using Microsoft.ML.Tokenizers;

namespace Recaps.Workflows.Generation.Agents;

/// <summary>
/// Token counts by o200k_base (the GPT-4o family's encoding; for other models a close estimate),
/// the way OpenAI counts a chat request: each message costs its role, its content and 3 tokens of
/// framing, the reply's priming 3 more; the response format's schema counts as its text.
/// </summary>
internal static class AgentTokens
{
    private const int PerMessage = 3;
    private const int ReplyPriming = 3;

    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public static int Count(string text) => Encoding.Value.CountTokens(text);

    /// <summary>The text in consecutive pieces of at most <paramref name="maxTokens"/> tokens each, together the whole text.</summary>
    public static IEnumerable<string> Pieces(string text, int maxTokens)
    {
        for (var start = 0; start < text.Length;)
        {
            var rest = text[start..];
            var length = Encoding.Value.GetIndexByTokenCount(rest, maxTokens, out _, out _);
            length = Math.Max(length, 1); // no token fits only if the limit is tiny: move on all the same
            if (length < rest.Length && char.IsHighSurrogate(rest[length - 1]))
            {
                length += length == 1 ? 1 : -1; // never split an emoji or other character outside the BMP
            }

            yield return rest[..length];
            start += length;
        }
    }

    public static int CountRequest(IEnumerable<(string Role, string Content)> messages, string schema) =>
        ReplyPriming + Count(schema) + messages.Sum(m => PerMessage + Count(m.Role) + Count(m.Content));
}
