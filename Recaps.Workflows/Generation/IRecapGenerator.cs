using Recaps.Workflows.Chat;

namespace Recaps.Workflows.Generation;

/// <summary>An item of a recap, with the posts it comes from.</summary>
public sealed record RecapItem(string Text, IReadOnlyList<string> PostIds);

/// <summary>One channel's part of a recap; <see cref="Error"/> is set when this channel could not be summarised.</summary>
public sealed record ChannelRecap(
    string ChannelId,
    string ChannelName,
    int MessageCount,
    IReadOnlyList<RecapItem> Highlights,
    IReadOnlyList<RecapItem> ActionItems,
    string? Error);

/// <summary>Who the recap is for and what they asked the agent to do.</summary>
public sealed record RecapAudience(string UserId, string Title, string? CustomInstructions);

/// <summary>Turns a channel's posts into its part of a recap. Registered by agent name.</summary>
public interface IRecapGenerator
{
    string Agent { get; }

    ValueTask<ChannelRecap> GenerateAsync(ChatChannel channel, IReadOnlyList<ChatPost> posts, RecapAudience audience, CancellationToken cancellationToken);
}
