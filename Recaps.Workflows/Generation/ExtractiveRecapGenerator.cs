using System.Buffers;
using Recaps.Workflows.Chat;

namespace Recaps.Workflows.Generation;

/// <summary>
/// The built-in agent: deterministic and offline. Highlights are the posts that score highest on
/// length and decision words; action items are requests, assignments, deadlines and mentions of
/// the recap's owner. Ties are broken by time and id, so the same posts always give the same recap.
/// </summary>
public sealed class ExtractiveRecapGenerator : IRecapGenerator
{
    public const string Name = "extractive";
    public const int MaxHighlights = 5;
    public const int MaxActionItems = 10;
    public const int MaxItemLength = 200;

    internal static readonly string[] DecisionWords =
    [
        "decided", "decision", "agreed", "released", "shipped", "launched", "merged", "fixed", "resolved",
        "incident", "outage", "blocked", "announce", "important", "urgent", "milestone",
    ];

    internal static readonly string[] RequestWords =
    [
        "please", "can you", "could you", "would you", "todo", "to-do", "action item", "need to", "needs to",
        "assign", "assigned", "follow up", "deadline", "due ", "by eod", "by end of day", "by tomorrow",
        "by monday", "by tuesday", "by wednesday", "by thursday", "by friday", "asap",
    ];

    // Words are matched as string.Contains(word, StringComparison.OrdinalIgnoreCase) would, through
    // SearchValues: with invariant globalization, Contains takes a slow char-by-char path, and one
    // pass over a message tells whether any word of a list occurs (most posts have none).
    private static readonly SearchValues<string> AnyDecisionWord = Words(DecisionWords);
    private static readonly SearchValues<string>[] EachDecisionWord = [.. DecisionWords.Select(word => Words(word))];
    private static readonly SearchValues<string> AnyRequestWord = Words(RequestWords);
    private static readonly SearchValues<string> You = Words("you");

    public string Agent => Name;

    public ValueTask<ChannelRecap> GenerateAsync(ChatChannel channel, IReadOnlyList<ChatPost> posts, RecapAudience audience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(posts);
        ArgumentNullException.ThrowIfNull(audience);
        var mention = Words("@" + audience.UserId);

        var highlights = posts
            .Select((post, index) => (post, index, score: HighlightScore(post.Message)))
            .OrderByDescending(p => p.score)
            .ThenBy(p => p.index)
            .Take(MaxHighlights)
            .OrderBy(p => p.index)
            .Select(p => Item(p.post))
            .ToList();

        var actionItems = posts
            .Where(post => IsActionItem(post.Message, mention))
            .Take(MaxActionItems)
            .Select(Item)
            .ToList();

        return ValueTask.FromResult(new ChannelRecap(channel.Id, channel.Name, posts.Count, highlights, actionItems, null));
    }

    private static double HighlightScore(string message)
    {
        var score = Math.Log(1 + message.Length);
        if (!message.AsSpan().ContainsAny(AnyDecisionWord))
        {
            return score;
        }

        foreach (var word in EachDecisionWord)
        {
            if (message.AsSpan().ContainsAny(word))
            {
                score += 2;
            }
        }

        return score;
    }

    private static bool IsActionItem(string message, SearchValues<string> mention) =>
        message.AsSpan().ContainsAny(mention) ||
        message.Contains('?', StringComparison.Ordinal) && message.AsSpan().ContainsAny(You) ||
        message.AsSpan().ContainsAny(AnyRequestWord);

    private static SearchValues<string> Words(params ReadOnlySpan<string> words) => SearchValues.Create(words, StringComparison.OrdinalIgnoreCase);

    private static RecapItem Item(ChatPost post)
    {
        var cut = MaxItemLength - 1;
        if (post.Message.Length > MaxItemLength && char.IsHighSurrogate(post.Message[cut - 1]))
        {
            cut--; // never split an emoji or other character outside the BMP
        }

        var text = post.Message.Length <= MaxItemLength ? post.Message : string.Concat(post.Message.AsSpan(0, cut), "…");
        return new RecapItem($"{post.AuthorId}: {text}", [post.Id]);
    }
}
