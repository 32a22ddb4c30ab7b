using System.Net;
using NodaTime;

namespace Recaps.Tests.Api;

/// <summary>The built-in chat store: admins write channels and posts, members mark what they have read.</summary>
public class ChannelsApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Upsert_NewChannel_Is200AndItsMembersCanChooseIt()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var root = api.As("root", admin: true);
        using var alice = api.As("alice");

        var response = await root.PutAtAsync("/v1/channels/dev", new { name = "  #dev  ", memberIds = ScheduleBodies.List("alice", "bob", "alice") });
        var channel = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("dev", channel.Id());
        Assert.Equal("#dev", channel.Text("name"));
        Assert.Equal(["alice", "bob"], channel.GetProperty("memberIds").EnumerateArray().Select(m => m.GetString()));
        await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"));
    }

    [Fact]
    public async Task List_IsTheChannelsTheCallerCanRead_ById_WithoutTheirMembers()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        await api.ChannelAsync("support", "alice", "bob");
        await api.ChannelAsync("dev", "alice");
        await api.ChannelAsync("finance", "bob");
        using var alice = api.As("alice");
        using var carol = api.As("carol");

        var channels = await alice.GetJsonAsync("/v1/channels");

        Assert.Equal(
            ["{\"id\":\"dev\",\"name\":\"#dev\"}", "{\"id\":\"support\",\"name\":\"#support\"}"],
            channels.GetProperty("items").EnumerateArray().Select(c => c.GetRawText()));
        Assert.Empty((await carol.GetJsonAsync("/v1/channels")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task List_WithoutAToken_Is401()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var anonymous = api.Anonymous();

        await (await anonymous.GetAtAsync("/v1/channels")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Upsert_ExistingChannel_RenamesItAndReplacesItsMembers()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        await api.ChannelAsync("dev", "alice");
        using var root = api.As("root", admin: true);
        using var alice = api.As("alice");

        await root.PutAtAsync("/v1/channels/dev", new { name = "#engineering", memberIds = ScheduleBodies.List("bob") });

        Assert.Equal(1, await api.CountAsync("channels WHERE name = '#engineering'"));
        await (await alice.PostAtAsync("/v1/schedules", ScheduleBodies.Weekdays("dev"))).ValidationProblemAsync("channelIds");
    }

    [Theory]
    [InlineData("{\"name\": \" \", \"memberIds\": []}", "name")]
    [InlineData("{\"name\": \"#dev\"}", "memberIds")]
    [InlineData("{\"name\": \"#dev\", \"memberIds\": [\"\"]}", "memberIds")]
    [InlineData("{\"name\": \"#dev\", \"memberIds\": [], \"topic\": \"x\"}", "topic")]
    [InlineData("{\"name\": \"#d\\u0000ev\", \"memberIds\": []}", "name")]
    [InlineData("{\"name\": \"#dev\", \"memberIds\": [\"al\\u0000ice\"]}", "memberIds")]
    [InlineData("{\"name\": \"#dev\\u202Egol\", \"memberIds\": []}", "name")]
    [InlineData("{\"name\": \"#dev\", \"memberIds\": [\"al\\u001b[31mice\"]}", "memberIds")]
    public async Task Upsert_InvalidBody_Is400AndStoresNothing(string body, string field)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var root = api.As("root", admin: true);

        var response = await root.SendRawAsync(HttpMethod.Put, "/v1/channels/dev", body);

        await response.ValidationProblemAsync(field);
        Assert.Equal(0, await api.CountAsync("channels"));
    }

    [Fact]
    public async Task Post_ToAChannel_Is201WithThePostId()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        await api.ChannelAsync("dev", "alice");
        using var root = api.As("root", admin: true);

        var response = await root.PostAtAsync("/v1/channels/dev/posts", new { authorId = "bob", message = "hello", createdAt = "2026-03-02T11:00:00Z" });
        var post = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("dev", post.Text("channelId"));
        Assert.False(string.IsNullOrEmpty(post.Id()));
        Assert.Equal(1, await api.CountAsync($"posts WHERE id = {post.Id()} AND created_at = '2026-03-02T11:00:00Z' AND author_id = 'bob'"));
    }

    [Fact]
    public async Task Post_WithoutCreatedAt_IsStampedWithTheApiClock()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        await api.ChannelAsync("dev", "alice");

        await api.PostAsync("dev", "bob", "hello");

        Assert.Equal(1, await api.CountAsync("posts WHERE created_at = '2026-03-02T12:00:00Z'"));
    }

    [Fact]
    public async Task Post_ToAMissingChannel_Is404()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var root = api.As("root", admin: true);

        var response = await root.PostAtAsync("/v1/channels/nowhere/posts", new { authorId = "bob", message = "hello" });

        await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await api.CountAsync("posts"));
    }

    [Theory]
    [InlineData("{\"authorId\": \"bob\", \"message\": \" \"}", "message")]
    [InlineData("{\"message\": \"hello\"}", "authorId")]
    [InlineData("{\"authorId\": \"bob\", \"message\": \"hello\", \"createdAt\": \"yesterday\"}", "createdAt")]
    [InlineData("{\"authorId\": \"bob\", \"message\": \"hel\\u0000lo\"}", "message")]
    [InlineData("{\"authorId\": \"b\\u0000ob\", \"message\": \"hello\"}", "authorId")]
    [InlineData("{\"authorId\": \"b\\u0007ob\", \"message\": \"hello\"}", "authorId")]
    public async Task Post_InvalidBody_Is400AndStoresNothing(string body, string field)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        await api.ChannelAsync("dev", "alice");
        using var root = api.As("root", admin: true);

        var response = await root.SendRawAsync(HttpMethod.Post, "/v1/channels/dev/posts", body);

        await response.ValidationProblemAsync(field);
        Assert.Equal(0, await api.CountAsync("posts"));
    }

    [Fact]
    public async Task Read_AsAMember_Is204AndMovesTheCursorToNow()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        await api.ChannelAsync("dev", "alice");
        using var alice = api.As("alice");

        var response = await alice.PostAtAsync("/v1/channels/dev/read");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, await api.CountAsync("channel_members WHERE user_id = 'alice' AND last_read_at = '2026-03-02T12:00:00Z'"));
    }

    [Fact]
    public async Task Read_UntilAnInstant_NeverMovesTheCursorBack()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        await api.ChannelAsync("dev", "alice");
        using var alice = api.As("alice");
        await alice.PostAtAsync("/v1/channels/dev/read", new { until = "2026-03-02T10:00:00Z" });
        api.Clock.Advance(Duration.FromHours(1));

        var back = await alice.PostAtAsync("/v1/channels/dev/read", new { until = "2026-03-02T09:00:00Z" });

        Assert.Equal(HttpStatusCode.NoContent, back.StatusCode);
        Assert.Equal(1, await api.CountAsync("channel_members WHERE user_id = 'alice' AND last_read_at = '2026-03-02T10:00:00Z'"));
    }

    [Fact]
    public async Task Read_NotAMember_Is404()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        await api.ChannelAsync("dev", "bob");
        using var alice = api.As("alice");

        await (await alice.PostAtAsync("/v1/channels/dev/read")).ProblemAsync(HttpStatusCode.NotFound);
        await (await alice.PostAtAsync("/v1/channels/nowhere/read")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await api.CountAsync("channel_members WHERE last_read_at IS NOT NULL"));
    }
}
