using NodaTime;
using NodaTime.Testing;
using Recaps.Workflows.Chat;

namespace Recaps.Tests.Chat;

public class PostgresChatStoreTests(PostgresFixture postgres)
{
    private static readonly Instant Noon = Instant.FromUtc(2026, 5, 4, 12, 0);

    [Fact]
    public async Task ReadableChannels_AreTheUsersMemberships()
    {
        await using var dataSource = await postgres.NewDatabaseAsync();
        var chat = new PostgresChatStore(dataSource, new FakeClock(Noon));
        await chat.UpsertChannelAsync("dev", "Dev", ["alice", "bob"]);
        await chat.UpsertChannelAsync("ops", "Ops", ["bob"]);

        var readable = await chat.ReadableChannelsAsync("alice", CancellationToken.None);

        Assert.Equal([new ChatChannel("dev", "Dev")], readable);
    }

    [Fact]
    public async Task UpsertChannel_RenamesAndReplacesMembersButKeepsCursorsOfThoseWhoStay()
    {
        await using var dataSource = await postgres.NewDatabaseAsync();
        var chat = new PostgresChatStore(dataSource, new FakeClock(Noon));
        await chat.UpsertChannelAsync("dev", "Dev", ["alice", "bob"]);
        await chat.AddPostAsync("dev", "carol", "old", Noon - Duration.FromHours(2));
        await chat.MarkReadAsync("dev", "alice", Noon - Duration.FromHours(1));

        await chat.UpsertChannelAsync("dev", "Development", ["alice", "carol"]);

        Assert.Equal([new ChatChannel("dev", "Development")], await chat.ReadableChannelsAsync("alice", CancellationToken.None));
        Assert.Empty(await chat.ReadableChannelsAsync("bob", CancellationToken.None));
        Assert.Empty(await chat.UnreadChannelsAsync("alice", Noon - Duration.FromDays(1), Noon, CancellationToken.None));
    }

    [Fact]
    public async Task MarkRead_NeverMovesTheCursorBack_AndRefusesNonMembers()
    {
        await using var dataSource = await postgres.NewDatabaseAsync();
        var chat = new PostgresChatStore(dataSource, new FakeClock(Noon));
        await chat.UpsertChannelAsync("dev", "Dev", ["alice"]);
        await chat.AddPostAsync("dev", "bob", "at eleven", Noon - Duration.FromHours(1));

        await chat.MarkReadAsync("dev", "alice");
        await chat.MarkReadAsync("dev", "alice", Noon - Duration.FromHours(3));
        var nonMember = await chat.MarkReadAsync("dev", "mallory");

        var unread = await chat.UnreadChannelsAsync("alice", Noon - Duration.FromDays(1), Noon, CancellationToken.None);
        Assert.Empty(unread);
        Assert.False(nonMember);
    }

    [Fact]
    public async Task UnreadChannels_CountOnlyPostsAfterCursorAndWindowStartUpToWindowEnd()
    {
        await using var dataSource = await postgres.NewDatabaseAsync();
        var chat = new PostgresChatStore(dataSource, new FakeClock(Noon));
        await chat.UpsertChannelAsync("read", "Read", ["alice"]);
        await chat.UpsertChannelAsync("unread", "Unread", ["alice"]);
        await chat.UpsertChannelAsync("future", "Future", ["alice"]);
        await chat.UpsertChannelAsync("old", "Old", ["alice"]);
        await chat.AddPostAsync("read", "bob", "seen", Noon - Duration.FromHours(2));
        await chat.MarkReadAsync("read", "alice", Noon - Duration.FromHours(1));
        await chat.AddPostAsync("unread", "bob", "new", Noon - Duration.FromHours(2));
        await chat.MarkReadAsync("unread", "alice", Noon - Duration.FromHours(3));
        await chat.AddPostAsync("future", "bob", "after the window", Noon + Duration.FromMinutes(1));
        await chat.AddPostAsync("old", "bob", "before the window", Noon - Duration.FromDays(2));

        var unread = await chat.UnreadChannelsAsync("alice", Noon - Duration.FromDays(1), Noon, CancellationToken.None);

        Assert.Equal([new UnreadChannel("unread", "Unread", Noon - Duration.FromHours(3))], unread);
    }

    [Fact]
    public async Task Posts_InHalfOpenWindowOldestFirst_BoundedToTheNewest()
    {
        await using var dataSource = await postgres.NewDatabaseAsync();
        var chat = new PostgresChatStore(dataSource, new FakeClock(Noon));
        await chat.UpsertChannelAsync("dev", "Dev", ["alice"]);
        var start = Noon - Duration.FromHours(4);
        await chat.AddPostAsync("dev", "bob", "at start: excluded", start);
        for (var hour = 3; hour >= 0; hour--)
        {
            await chat.AddPostAsync("dev", "bob", $"{hour}h before noon", Noon - Duration.FromHours(hour));
        }

        var all = await chat.PostsAsync("alice", "dev", start, Noon, 10, CancellationToken.None);
        var newest = await chat.PostsAsync("alice", "dev", start, Noon, 2, CancellationToken.None);

        Assert.Equal(["3h before noon", "2h before noon", "1h before noon", "0h before noon"], all!.Select(p => p.Message));
        Assert.Equal(["1h before noon", "0h before noon"], newest!.Select(p => p.Message));
    }

    [Fact]
    public async Task Posts_ForAMemberWithNoneInTheWindow_AreEmpty_AndForSomeoneElse_Null()
    {
        await using var dataSource = await postgres.NewDatabaseAsync();
        var chat = new PostgresChatStore(dataSource, new FakeClock(Noon));
        await chat.UpsertChannelAsync("dev", "Dev", ["alice"]);
        await chat.UpsertChannelAsync("empty", "Empty", ["alice"]);
        await chat.AddPostAsync("dev", "alice", "members only", Noon - Duration.FromHours(1));
        var start = Noon - Duration.FromDays(1);

        var empty = await chat.PostsAsync("alice", "empty", start, Noon, 10, CancellationToken.None);
        var notAMember = await chat.PostsAsync("bob", "dev", start, Noon, 10, CancellationToken.None);
        var noSuchChannel = await chat.PostsAsync("alice", "nowhere", start, Noon, 10, CancellationToken.None);

        Assert.NotNull(empty);
        Assert.Empty(empty);
        Assert.Null(notAMember);
        Assert.Null(noSuchChannel);
    }

    [Fact]
    public async Task AddPost_ToMissingChannel_ReturnsNull()
    {
        await using var dataSource = await postgres.NewDatabaseAsync();
        var chat = new PostgresChatStore(dataSource, new FakeClock(Noon));

        Assert.Null(await chat.AddPostAsync("nowhere", "bob", "hello"));
    }

    [Fact]
    public async Task AnyPosts_EachChannelAfterItsOwnStart_OnlyChannelsTheUserIsIn()
    {
        await using var dataSource = await postgres.NewDatabaseAsync();
        var chat = new PostgresChatStore(dataSource, new FakeClock(Noon));
        await chat.UpsertChannelAsync("dev", "Dev", ["alice"]);
        await chat.UpsertChannelAsync("ops", "Ops", ["bob"]);
        await chat.AddPostAsync("dev", "bob", "at ten", Noon - Duration.FromHours(2));
        await chat.AddPostAsync("ops", "bob", "at eleven", Noon - Duration.FromHours(1));
        var dayBefore = Noon - Duration.FromDays(1);

        Assert.True(await chat.AnyPostsAsync("alice", [new("dev", dayBefore)], Noon, CancellationToken.None));
        // After dev's post (a read cursor), or before it (the window's end): nothing.
        Assert.False(await chat.AnyPostsAsync("alice", [new("dev", Noon - Duration.FromHours(2))], Noon, CancellationToken.None));
        Assert.False(await chat.AnyPostsAsync("alice", [new("dev", dayBefore)], Noon - Duration.FromHours(3), CancellationToken.None));
        // ops has a post, but alice is not in it.
        Assert.False(await chat.AnyPostsAsync("alice", [new("dev", Noon - Duration.FromHours(2)), new("ops", dayBefore)], Noon, CancellationToken.None));
        Assert.True(await chat.AnyPostsAsync("bob", [new("dev", dayBefore), new("ops", dayBefore)], Noon, CancellationToken.None));
        Assert.False(await chat.AnyPostsAsync("alice", [], Noon, CancellationToken.None));
    }
}
