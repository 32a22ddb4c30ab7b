using System.Net;
using System.Text.Json;

namespace Recaps.Tests.Api;

public class PreviewApiTests(PostgresFixture postgres)
{
    private static Dictionary<string, object?> DailyAt(string time) => ScheduleBodies.Weekdays()
        .With("daysOfWeek", ScheduleBodies.List("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
        .With("timeOfDay", time);

    private static async Task<JsonElement> NextRunsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("nextRuns");
    }

    [Fact]
    public async Task Preview_DefaultCount_IsTheNextFiveRunsFromNowAndStoresNothing()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var runs = await NextRunsAsync(await alice.PostAtAsync("/v1/schedules/preview", ScheduleBodies.Weekdays()));

        Assert.Equal(
            ["2026-03-02T14:00:00Z", "2026-03-03T14:00:00Z", "2026-03-04T14:00:00Z", "2026-03-05T14:00:00Z", "2026-03-06T14:00:00Z"],
            runs.EnumerateArray().Select(r => r.Text("at")));
        Assert.All(runs.EnumerateArray(), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("note").ValueKind));
        Assert.Equal(0, await api.CountAsync("schedules"));
        Assert.Equal(0, await api.CountAsync("schedule_outbox"));
    }

    [Fact]
    public async Task Preview_SpringForward_ShiftsTheMissingTimeByTheGapWithANote()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var runs = await NextRunsAsync(await alice.PostAtAsync("/v1/schedules/preview?count=3&from=2026-03-07T00:00:00Z", DailyAt("02:30")));

        Assert.Equal(["2026-03-07T02:30:00-05:00", "2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"], runs.EnumerateArray().Select(r => r.Text("local")));
        Assert.Equal("2026-03-08T07:30:00Z", runs[1].Text("at"));
        Assert.Contains("does not exist", runs[1].Text("note"), StringComparison.Ordinal);
        Assert.Contains("03:30", runs[1].Text("note"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, runs[0].GetProperty("note").ValueKind);
        Assert.Equal(JsonValueKind.Null, runs[2].GetProperty("note").ValueKind);
        Assert.Equal(0, await api.CountAsync("schedules"));
        Assert.Equal(0, await api.CountAsync("schedule_outbox"));
    }

    [Fact]
    public async Task Preview_FallBack_RunsOnceAtTheEarlierInstantWithANote()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var runs = await NextRunsAsync(await alice.PostAtAsync("/v1/schedules/preview?count=2&from=2026-10-31T12:00:00Z", DailyAt("01:30")));

        Assert.Equal(["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"], runs.EnumerateArray().Select(r => r.Text("at")));
        Assert.Contains("twice", runs[0].Text("note"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_CountOfFifty_IsAllowed()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var runs = await NextRunsAsync(await alice.PostAtAsync("/v1/schedules/preview?count=50", ScheduleBodies.Weekdays()));

        Assert.Equal(50, runs.GetArrayLength());
    }

    [Fact]
    public async Task Preview_OneTimeSchedule_HasOneRun()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var runs = await NextRunsAsync(await alice.PostAtAsync("/v1/schedules/preview?count=10", ScheduleBodies.Weekdays().With("recurring", false)));

        Assert.Equal(["2026-03-02T14:00:00Z"], runs.EnumerateArray().Select(r => r.Text("at")));
    }

    [Theory]
    [InlineData("count=0", "count")]
    [InlineData("count=51", "count")]
    [InlineData("count=five", "count")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-03-07T00:00:00", "from")]
    [InlineData("from=9999-12-31T23:59:00Z", "from")]
    [InlineData("from=0001-01-01T00:00:00Z", "from")]
    public async Task Preview_BadQuery_Is400NamingTheParameter(string query, string field)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var response = await alice.PostAtAsync($"/v1/schedules/preview?{query}", ScheduleBodies.Weekdays());

        await response.ValidationProblemAsync(field);
    }

    [Fact]
    public async Task Preview_InvalidBody_Is400AndStoresNothing()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var response = await alice.PostAtAsync("/v1/schedules/preview", ScheduleBodies.Weekdays().With("timeZone", "Mars/Base"));

        await response.ValidationProblemAsync("timeZone");
        Assert.Equal(0, await api.CountAsync("schedules"));
    }
}
