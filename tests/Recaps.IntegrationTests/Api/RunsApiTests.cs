using System.Net;
using System.Text.Json;
using NodaTime;

namespace Recaps.Tests.Api;

public class RunsApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task RunNow_ActiveSchedule_Is202WithAPendingRunInTheHistory()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();

        var response = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/run");
        var accepted = await response.JsonAsync();
        var runs = (await alice.GetJsonAsync($"/v1/schedules/{created.Id()}/runs")).GetProperty("items");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = accepted.Text("runId");
        var run = Assert.Single(runs.EnumerateArray());
        Assert.Equal(runId, run.Id());
        Assert.Equal("pending", run.Text("status"));
        Assert.Equal("2026-03-02T12:00:00Z", run.Text("nominalTime"));
        Assert.Equal($"recap-{created.Id()}-run-{runId}", run.Text("workflowId"));
        Assert.Equal(1, await api.CountAsync("schedule_outbox WHERE operation = 'run'"));
    }

    [Fact]
    public async Task RunNow_AgainWithinTheCooldown_Is429WithRetryAfterUntilTheCooldownPasses()
    {
        await using var api = await ApiHost.StartAsync(postgres, ("Recaps:Limits:RunNowCooldown", "00:05:00"));
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        await alice.PostAtAsync($"/v1/schedules/{created.Id()}/run");
        api.Clock.Advance(Duration.FromMinutes(2));

        var refused = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/run");
        await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromMinutes(3), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(1, await api.CountAsync("schedule_runs"));

        api.Clock.Advance(Duration.FromMinutes(3));
        var accepted = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/run");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(2, (await alice.GetJsonAsync($"/v1/schedules/{created.Id()}/runs")).GetProperty("items").GetArrayLength());
        Assert.Equal(2, await api.CountAsync("schedule_outbox WHERE operation = 'run'"));
    }

    [Fact]
    public async Task RunNow_PausedSchedule_Is409AndRecordsNoRun()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause");

        var response = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/run");

        await response.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(0, await api.CountAsync("schedule_runs"));
    }

    [Fact]
    public async Task RunNow_OperatorPausedSchedule_Is409()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        await api.OperatorPauseAsync(created.Id(), "maintenance");

        await (await alice.PostAtAsync($"/v1/schedules/{created.Id()}/run")).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task RunNow_CompletedOneTimeSchedule_Is409()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays().With("recurring", false));
        await api.RunFirstOccurrenceAsync(created);

        await (await alice.PostAtAsync($"/v1/schedules/{created.Id()}/run")).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Runs_AfterAnOccurrence_ShowStatusWindowRecapAndTheWebUiLink()
    {
        await using var api = await ApiHost.StartAsync(postgres, ("Temporal:UiUrl", "http://localhost:8233/"));
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        var (occurrence, recap) = await api.RunFirstOccurrenceAsync(created);

        var run = Assert.Single((await alice.GetJsonAsync($"/v1/schedules/{created.Id()}/runs")).GetProperty("items").EnumerateArray());

        Assert.Equal(occurrence.RunId.ToString(), run.Id());
        Assert.Equal("completed", run.Text("status"));
        Assert.Equal("2026-03-02T14:00:00Z", run.Text("nominalTime"));
        Assert.Equal("2026-03-02T14:00:00Z", run.Text("windowEnd"));
        Assert.Equal(recap!.RecapId.ToString(), run.Text("recapId"));
        var workflowId = $"recap-{created.Id()}-2026-03-02T14:00:00Z";
        Assert.Equal(workflowId, run.Text("workflowId"));
        // Escaped as the Web UI escapes workflow ids in its own links.
        Assert.Equal($"http://localhost:8233/namespaces/default/workflows/{Uri.EscapeDataString(workflowId)}", run.Text("temporalUiUrl"));
        var schedule = await alice.GetJsonAsync($"/v1/schedules/{created.Id()}");
        Assert.Equal(1, schedule.GetProperty("runCount").GetInt32());
        Assert.Equal("2026-03-02T14:00:00Z", schedule.Text("lastRunAt"));
    }

    [Fact]
    public async Task Runs_SkippedOccurrence_ShowsTheReason()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause", new { reason = "holiday" });
        await api.RunFirstOccurrenceAsync(created);

        var run = Assert.Single((await alice.GetJsonAsync($"/v1/schedules/{created.Id()}/runs")).GetProperty("items").EnumerateArray());

        Assert.Equal("skipped", run.Text("status"));
        Assert.Equal("paused by the user: holiday", run.Text("reason"));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("recapId").ValueKind);
    }

    [Fact]
    public async Task Runs_WithoutTemporalUiUrl_HaveNoLink()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        await alice.PostAtAsync($"/v1/schedules/{created.Id()}/run");

        var run = Assert.Single((await alice.GetJsonAsync($"/v1/schedules/{created.Id()}/runs")).GetProperty("items").EnumerateArray());

        Assert.True(!run.TryGetProperty("temporalUiUrl", out var url) || url.ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task Runs_NewestFirstAndLimited()
    {
        await using var api = await ApiHost.StartAsync(postgres, ("Recaps:Limits:RunNowCooldown", "00:00:00"));
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        var requested = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            requested.Add((await (await alice.PostAtAsync($"/v1/schedules/{created.Id()}/run")).JsonAsync()).Text("runId"));
            api.Clock.Advance(Duration.FromMinutes(1));
        }

        var all = (await alice.GetJsonAsync($"/v1/schedules/{created.Id()}/runs")).GetProperty("items");
        var two = (await alice.GetJsonAsync($"/v1/schedules/{created.Id()}/runs?limit=2")).GetProperty("items");

        Assert.Equal(Enumerable.Reverse(requested), all.EnumerateArray().Select(r => r.Id()));
        Assert.Equal(requested.AsEnumerable().Reverse().Take(2), two.EnumerateArray().Select(r => r.Id()));
        await (await alice.GetAtAsync($"/v1/schedules/{created.Id()}/runs?limit=0")).ValidationProblemAsync("limit");
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=501")]
    public async Task Runs_BadLimit_Is400NamingLimit(string query)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();

        await (await alice.GetAtAsync($"/v1/schedules/{created.Id()}/runs?{query}")).ValidationProblemAsync("limit");
    }
}
