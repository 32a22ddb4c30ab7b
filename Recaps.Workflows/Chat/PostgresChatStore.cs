using System.Globalization;
using NodaTime;
using Npgsql;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Chat;

/// <summary>The built-in chat store: channels, members with read cursors, and posts, in PostgreSQL.</summary>
public sealed class PostgresChatStore(NpgsqlDataSource dataSource, IClock clock) : IChatSource
{
    public async Task<IReadOnlyList<ChatChannel>> ReadableChannelsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql("""
            SELECT c.id, c.name FROM channels c JOIN channel_members m ON m.channel_id = c.id
            WHERE m.user_id = $1 ORDER BY c.id
            """, userId);
        return await command.ReadAllAsync(reader => new ChatChannel(reader.GetString(0), reader.GetString(1)), cancellationToken);
    }

    public async Task<IReadOnlyList<UnreadChannel>> UnreadChannelsAsync(string userId, Instant after, Instant upTo, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql("""
            SELECT c.id, c.name, m.last_read_at FROM channels c JOIN channel_members m ON m.channel_id = c.id
            WHERE m.user_id = $1
              AND EXISTS (SELECT 1 FROM posts p WHERE p.channel_id = c.id AND p.created_at <= $3
                          AND p.created_at > GREATEST($2, m.last_read_at))
            ORDER BY c.id
            """, userId, after, upTo);
        return await command.ReadAllAsync(
            reader => new UnreadChannel(reader.GetString(0), reader.GetString(1), reader.GetNullableValue<Instant>(2)), cancellationToken);
    }

    public async Task<IReadOnlyList<ChatPost>?> PostsAsync(string userId, string channelId, Instant after, Instant upTo, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One statement, one snapshot: the membership and the posts are read together. A member gets
        // a row per post (one with nulls when there is none); someone else gets no row at all.
        await using var command = connection.Sql("""
            SELECT p.id, p.author_id, p.message, p.created_at
            FROM channel_members m
            LEFT JOIN LATERAL (
                SELECT id, author_id, message, created_at FROM posts
                WHERE channel_id = m.channel_id AND created_at > $3 AND created_at <= $4
                ORDER BY created_at DESC, id DESC LIMIT $5) p ON TRUE
            WHERE m.channel_id = $1 AND m.user_id = $2
            """, channelId, userId, after, upTo, limit);
        var rows = await command.ReadAllAsync(
            reader => reader.IsDBNull(0)
                ? null
                : new ChatPost(
                    reader.GetInt64(0).ToString(CultureInfo.InvariantCulture), channelId, reader.GetString(1), reader.GetString(2), reader.GetFieldValue<Instant>(3)),
            cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        // Read newest first to bound the count, returned oldest first as people read.
        return [.. rows.OfType<ChatPost>().Reverse()];
    }

    public async Task<bool> AnyPostsAsync(string userId, IReadOnlyList<ChannelSince> channels, Instant upTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channels);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One probe of the (channel_id, created_at) index per channel, stopping at the first post.
        await using var command = connection.Sql("""
            SELECT EXISTS (
                SELECT 1 FROM unnest($2::text[], $3::timestamptz[]) AS w (channel_id, after)
                JOIN channel_members m ON m.channel_id = w.channel_id AND m.user_id = $1
                WHERE EXISTS (SELECT 1 FROM posts p WHERE p.channel_id = w.channel_id AND p.created_at > w.after AND p.created_at <= $4))
            """, userId, channels.Select(c => c.ChannelId).ToArray(), channels.Select(c => c.After).ToArray(), upTo);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Creates or renames a channel and sets its members; read cursors of members who stay are kept.</summary>
    public async Task UpsertChannelAsync(string channelId, string name, IReadOnlyCollection<string> memberIds, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var upsert = connection.Sql("""
            INSERT INTO channels (id, name, created_at) VALUES ($1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name
            """, channelId, name, clock.GetCurrentInstant()))
        {
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        var members = memberIds.Distinct(StringComparer.Ordinal).ToArray();
        await using (var remove = connection.Sql("DELETE FROM channel_members WHERE channel_id = $1 AND NOT (user_id = ANY($2))", channelId, members))
        {
            await remove.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var add = connection.Sql("""
            INSERT INTO channel_members (channel_id, user_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING
            """, channelId, members))
        {
            await add.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <returns>The new post's id, or null when the channel does not exist.</returns>
    public async Task<string?> AddPostAsync(string channelId, string authorId, string message, Instant? createdAt = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql("""
            INSERT INTO posts (channel_id, author_id, message, created_at)
            SELECT id, $2, $3, $4 FROM channels WHERE id = $1
            RETURNING id
            """, channelId, authorId, message, createdAt ?? clock.GetCurrentInstant());
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id.ToString(CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Moves the member's read cursor forward to <paramref name="until"/> (never back).</summary>
    /// <returns>False when the user is not a member of the channel.</returns>
    public async Task<bool> MarkReadAsync(string channelId, string userId, Instant? until = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Sql("""
            UPDATE channel_members SET last_read_at = GREATEST(last_read_at, $3)
            WHERE channel_id = $1 AND user_id = $2
            """, channelId, userId, until ?? clock.GetCurrentInstant());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
