using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Recaps.Workflows.Storage;

namespace Recaps.Tests.Api;

/// <summary>What a reader of a recap needs besides it: the posts it cites, and the other versions of its window.</summary>
public class RecapReaderApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task CitedPosts_AreEachCitedPostWithItsAuthorTimeAndText_OldestFirst()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var recapId = await DevRecapAsync(api, alice);
        var recap = await alice.GetJsonAsync($"/v1/recaps/{recapId}");
        var cited = recap.GetProperty("channels")[0].GetProperty("highlights").EnumerateArray()
            .SelectMany(h => h.GetProperty("postIds").EnumerateArray().Select(id => id.GetString()!)).ToHashSet();

        var posts = (await alice.GetJsonAsync($"/v1/recaps/{recapId}/posts")).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(2, cited.Count);
        Assert.Equal(cited, posts.Select(p => p.Id()).ToHashSet());
        Assert.Equal(["The release is blocked on the migration review.", "@alice please review the migration by Friday."], posts.Select(p => p.Text("message")));
        Assert.All(posts, p => Assert.Equal(("dev", "bob", "2026-03-02T12:00:00Z"), (p.Text("channelId"), p.Text("authorId"), p.Text("createdAt"))));
    }

    [Fact]
    public async Task CitedPosts_OfAChannelTheCallerLeft_AreNotShown_ButTheRecapIs()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var recapId = await DevRecapAsync(api, alice);

        await api.ChannelAsync("dev", "bob");

        Assert.Equal(0, (await alice.GetJsonAsync($"/v1/recaps/{recapId}/posts")).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAtAsync($"/v1/recaps/{recapId}")).StatusCode);
    }

    [Fact]
    public async Task Versions_ListTheStoredOne_ThenEachRegenerationAskedFor_PendingOrFailed()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var recapId = await DevRecapAsync(api, alice);
        var failed = await (await alice.PostAtAsync($"/v1/recaps/{recapId}/regenerate")).JsonAsync();
        await api.Services.GetRequiredService<RecapRegenerations>().MarkFailedAsync(
            await RegenerationIdAsync(api, failed.Text("recapId")), "provider_error: the model did not answer", ApiCalls.Cancel);
        var pending = await (await alice.PostAtAsync($"/v1/recaps/{recapId}/regenerate")).JsonAsync();

        var versions = (await alice.GetJsonAsync($"/v1/recaps/{recapId}/versions")).GetProperty("items").EnumerateArray().ToList();
        var fromThePending = await alice.GetAtAsync($"/v1/recaps/{pending.Text("recapId")}/versions");

        Assert.Equal(
            [(recapId, 1, "stored", null), (failed.Text("recapId"), 2, "failed", "provider_error: the model did not answer"), (pending.Text("recapId"), 3, "pending", null)],
            versions.Select(v => (v.Text("recapId"), v.GetProperty("version").GetInt32(), v.Text("state"), v.GetProperty("error").GetString())));
        Assert.All(versions, v => Assert.Equal("extractive", v.Text("agent")));
        // Only a stored version names the window.
        Assert.Equal(HttpStatusCode.NotFound, fromThePending.StatusCode);
    }

    [Theory]
    [InlineData("versions")]
    [InlineData("posts")]
    public async Task AnotherUsersRecap_Is404(string part)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        var recapId = await DevRecapAsync(api, alice);

        await (await bob.GetAtAsync($"/v1/recaps/{recapId}/{part}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await alice.GetAtAsync($"/v1/recaps/{Guid.NewGuid()}/{part}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>Alice's recap of #dev with two posts from bob, made by the activities as a worker makes it.</summary>
    private static async Task<string> DevRecapAsync(ApiHost api, HttpClient alice)
    {
        await api.ChannelAsync("dev", "alice", "bob");
        await api.PostAsync("dev", "bob", "The release is blocked on the migration review.");
        await api.PostAsync("dev", "bob", "@alice please review the migration by Friday.");
        var (_, generated) = await api.RunFirstOccurrenceAsync(await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev")));
        return generated!.RecapId.ToString();
    }

    private static async Task<Guid> RegenerationIdAsync(ApiHost api, string recapId)
    {
        await using var command = api.Database.CreateCommand($"SELECT id FROM recap_regenerations WHERE recap_id = '{recapId}'");
        return (Guid)(await command.ExecuteScalarAsync(ApiCalls.Cancel))!;
    }
}
