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

    private static readonly string[] DecisionWords =
    [
        "decided", "decision", "agreed", "released", "shipped", "launched", "merged", "fixed", "resolved",
        "incident", "outage", "blocked", "announce", "important", "urgent", "milestone",
    ];

    private static readonly string[] RequestWords =
    [
        "please", "can you", "could you", "would you", "todo", "to-do", "action item", "need to", "needs to",
        "assign", "assigned", "follow up", "deadline", "due ", "by eod", "by end of day", "by tomorrow",
        "by monday", "by tuesday", "by wednesday", "by thursday", "by friday", "asap",
    ];

    public string Agent => Name;

    public ValueTask<ChannelRecap> GenerateAsync(ChatChannel channel, IReadOnlyList<ChatPost> posts, RecapAudience audience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(posts);
        ArgumentNullException.ThrowIfNull(audience);
        var mention = "@" + audience.UserId;

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
        foreach (var word in DecisionWords)
        {
            if (message.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                score += 2;
            }
        }

        return score;
    }

    private static bool IsActionItem(string message, string mention) =>
        message.Contains(mention, StringComparison.OrdinalIgnoreCase) ||
        message.Contains('?', StringComparison.Ordinal) && message.Contains("you", StringComparison.OrdinalIgnoreCase) ||
        RequestWords.Any(word => message.Contains(word, StringComparison.OrdinalIgnoreCase));

    private static RecapItem Item(ChatPost post)
    {
        var text = post.Message.Length <= MaxItemLength ? post.Message : string.Concat(post.Message.AsSpan(0, MaxItemLength - 1), "…");
        return new RecapItem($"{post.AuthorId}: {text}", [post.Id]);
    }
}
