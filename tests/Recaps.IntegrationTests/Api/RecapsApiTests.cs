using System.Net;

namespace Recaps.Tests.Api;

public class RecapsApiTests(PostgresFixture postgres)
{
    /// <summary>Alice's schedule of #dev, with two posts from bob before its first run.</summary>
    private static async Task<System.Text.Json.JsonElement> DevScheduleAsync(ApiHost api, HttpClient alice)
    {
        await api.ChannelAsync("dev", "alice", "bob");
        await api.PostAsync("dev", "bob", "The release is blocked on the migration review.");
        await api.PostAsync("dev", "bob", "@alice please review the migration by Friday.");
        return await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"));
    }

    [Fact]
    public async Task Get_OwnRecap_HasTheDesignShape()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var schedule = await DevScheduleAsync(api, alice);
        var (occurrence, generated) = await api.RunFirstOccurrenceAsync(schedule);

        var recap = await alice.GetJsonAsync($"/v1/recaps/{generated!.RecapId}");

        Assert.Equal(generated.RecapId.ToString(), recap.Id());
        Assert.Equal(schedule.Id(), recap.Text("scheduleId"));
        Assert.Equal(occurrence.RunId.ToString(), recap.Text("runId"));
        Assert.Equal("Standup digest", recap.Text("title"));
        Assert.False(string.IsNullOrEmpty(recap.Text("status")));
        Assert.Equal("2026-03-01T14:00:00Z", recap.Text("windowStart"));
        Assert.Equal("2026-03-02T14:00:00Z", recap.Text("windowEnd"));
        Assert.False(string.IsNullOrEmpty(recap.Text("createdAt")));
        var channel = Assert.Single(recap.GetProperty("channels").EnumerateArray());
        Assert.Equal("dev", channel.Text("channelId"));
        Assert.Equal("#dev", channel.Text("channelName"));
        Assert.Equal(2, channel.GetProperty("messageCount").GetInt32());
        Assert.NotEqual(0, channel.GetProperty("highlights").GetArrayLength());
        Assert.All(channel.GetProperty("highlights").EnumerateArray(), h => Assert.NotEqual(0, h.GetProperty("postIds").GetArrayLength()));
        var action = Assert.Single(channel.GetProperty("actionItems").EnumerateArray());
        Assert.Contains("review the migration", action.Text("text"), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, channel.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task List_OwnRecaps_NewestFirst()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var schedule = await DevScheduleAsync(api, alice);
        var (_, first) = await api.RunFirstOccurrenceAsync(schedule);
        api.Clock.Advance(NodaTime.Duration.FromHours(1));
        await api.PostAsync("dev", "bob", "Migration reviewed and merged.");
        var (_, second) = await api.RunFirstOccurrenceAsync(await alice.GetJsonAsync($"/v1/schedules/{schedule.Id()}"));

        var all = (await alice.GetJsonAsync("/v1/recaps")).GetProperty("items");
        var newest = (await alice.GetJsonAsync("/v1/recaps?limit=1")).GetProperty("items");

        Assert.Equal([second!.RecapId.ToString(), first!.RecapId.ToString()], all.EnumerateArray().Select(r => r.Id()));
        Assert.Equal("2026-03-02T14:00:00Z", all[0].Text("windowStart"));
        Assert.Equal(1, all[0].GetProperty("channels")[0].GetProperty("messageCount").GetInt32());
        Assert.Equal([second.RecapId.ToString()], newest.EnumerateArray().Select(r => r.Id()));
    }

    [Fact]
    public async Task List_NoRecaps_IsEmpty()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        Assert.Equal(0, (await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    public async Task List_LimitOutOfRange_Is400(string limit)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        await (await alice.GetAtAsync($"/v1/recaps?limit={limit}")).ValidationProblemAsync("limit");
    }

    [Fact]
    public async Task Get_MissingRecap_Is404Problem()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        await (await alice.GetAtAsync($"/v1/recaps/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
