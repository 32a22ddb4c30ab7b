using NodaTime;

namespace Recaps.Workflows.Chat;

public sealed record ChatChannel(string Id, string Name);

/// <summary>A channel with posts the user has not read; <see cref="ReadUpTo"/> is their read cursor.</summary>
public sealed record UnreadChannel(string Id, string Name, Instant? ReadUpTo);

/// <summary>A channel and the instant after which its posts count (a window's start, or a later read cursor).</summary>
public sealed record ChannelSince(string ChannelId, Instant After);

public sealed record ChatPost(string Id, string ChannelId, string AuthorId, string Message, Instant CreatedAt);

/// <summary>Where recaps read from: the built-in PostgreSQL store, or another chat system behind the same calls.</summary>
public interface IChatSource
{
    /// <summary>The channels <paramref name="userId"/> is a member of, by id.</summary>
    Task<IReadOnlyList<ChatChannel>> ReadableChannelsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Channels of the user with a post after both <paramref name="after"/> and their read cursor, up to <paramref name="upTo"/>.</summary>
    Task<IReadOnlyList<UnreadChannel>> UnreadChannelsAsync(string userId, Instant after, Instant upTo, CancellationToken cancellationToken);

    /// <summary>
    /// Posts of a channel in <c>(after, upTo]</c>, oldest first; when there are more than
    /// <paramref name="limit"/>, the newest <paramref name="limit"/>. Null when <paramref name="userId"/>
    /// is not a member of the channel: membership is checked in the same read, so no post is read
    /// for someone who lost access after the channel list was fixed.
    /// </summary>
    Task<IReadOnlyList<ChatPost>?> PostsAsync(string userId, string channelId, Instant after, Instant upTo, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Whether any of <paramref name="channels"/> has a post after its own start, up to <paramref name="upTo"/>,
    /// counting only channels <paramref name="userId"/> is still a member of (checked in the same read).
    /// </summary>
    Task<bool> AnyPostsAsync(string userId, IReadOnlyList<ChannelSince> channels, Instant upTo, CancellationToken cancellationToken);
}
