using System.Net;

namespace Recaps.Tests.Api;

/// <summary>Nobody sees or changes another user's schedules or recaps; theirs look missing (404, never 403).</summary>
public class AuthorizationMatrixTests(PostgresFixture postgres)
{
    /// <summary>Every call on one schedule, with the body it takes.</summary>
    public static TheoryData<string, string> ScheduleCalls => new()
    {
        { "GET", "" },
        { "PUT", "" },
        { "DELETE", "" },
        { "POST", "/pause" },
        { "POST", "/resume" },
        { "POST", "/run" },
        { "GET", "/runs" },
    };

    [Theory]
    [MemberData(nameof(ScheduleCalls))]
    public async Task CallOnAnotherUsersSchedule_Is404AndChangesNothing(string method, string suffix)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        var bobs = await bob.CreateScheduleAsync();
        // A paused schedule, so a resume by alice would show too.
        await bob.PostAtAsync($"/v1/schedules/{bobs.Id()}/pause", new { reason = "bob's" });
        var before = await bob.GetJsonAsync($"/v1/schedules/{bobs.Id()}");

        var response = await alice.SendJsonAsync(
            new HttpMethod(method), $"/v1/schedules/{bobs.Id()}{suffix}", method == "PUT" ? ScheduleBodies.Weekdays().With("title", "alice's now") : null);

        await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(before.ToString(), (await bob.GetJsonAsync($"/v1/schedules/{bobs.Id()}")).ToString());
        Assert.Equal(2, await api.CountAsync("schedule_outbox"));
        Assert.Equal(0, await api.CountAsync("schedule_runs"));
    }

    [Fact]
    public async Task AnotherUsersSchedule_LooksExactlyLikeAMissingOne()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        var bobs = await bob.CreateScheduleAsync();

        var others = await (await alice.GetAtAsync($"/v1/schedules/{bobs.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        var missing = await (await alice.GetAtAsync($"/v1/schedules/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(missing.Text("title"), others.Text("title"));
        Assert.Equal(missing.GetProperty("status").GetInt32(), others.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task List_NeverShowsAnotherUsersSchedules()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        await bob.CreateScheduleAsync();

        Assert.Equal(0, (await alice.GetJsonAsync("/v1/schedules")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task InvalidUpdateOfAnotherUsersSchedule_Is404NotAValidationError()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        var bobs = await bob.CreateScheduleAsync();

        var response = await alice.PutAtAsync($"/v1/schedules/{bobs.Id()}", ScheduleBodies.Weekdays().With("timeZone", "PST"));

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnotherUsersRecap_Is404AndNeverListed()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        await api.ChannelAsync("dev", "alice", "bob");
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        var bobs = await bob.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"));
        var (_, recap) = await api.RunFirstOccurrenceAsync(bobs);

        await (await alice.GetAtAsync($"/v1/recaps/{recap!.RecapId}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").GetArrayLength());
        Assert.Equal(recap.RecapId.ToString(), (await bob.GetJsonAsync($"/v1/recaps/{recap.RecapId}")).Id());
    }
}
