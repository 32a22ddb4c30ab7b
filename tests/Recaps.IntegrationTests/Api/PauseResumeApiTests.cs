using System.Net;
using System.Text.Json;

namespace Recaps.Tests.Api;

public class PauseResumeApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Pause_WithReason_Is200PausedByTheUserWithNoNextRuns()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();

        var response = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause", new { reason = "  on holiday  " });
        var paused = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("paused", paused.Text("status"));
        Assert.Equal("user", paused.Text("pausedBy"));
        Assert.Equal("on holiday", paused.Text("pauseReason"));
        Assert.Equal(0, paused.GetProperty("nextRuns").GetArrayLength());
        Assert.Equal("pending", paused.GetProperty("sync").Text("state"));
        Assert.Equal(paused.ToString(), (await alice.GetJsonAsync($"/v1/schedules/{created.Id()}")).ToString());
        Assert.Equal(1, await api.CountAsync("schedule_outbox WHERE operation = 'pause'"));
    }

    [Fact]
    public async Task Pause_WithoutABody_PausesWithNoReason()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();

        var response = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause");
        var paused = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("paused", paused.Text("status"));
        Assert.Equal(JsonValueKind.Null, paused.GetProperty("pauseReason").ValueKind);
    }

    [Fact]
    public async Task Pause_Twice_GivesTheSameAnswerAndQueuesOnePause()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        var first = await (await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause", new { reason = "holiday" })).JsonAsync();

        var response = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause", new { reason = "holiday" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(first.ToString(), (await response.JsonAsync()).ToString());
        Assert.Equal(1, await api.CountAsync("schedule_outbox WHERE operation = 'pause'"));
    }

    [Theory]
    [InlineData(501, "")]
    [InlineData(10, "\u0000")]
    [InlineData(10, "\u0007")]
    [InlineData(10, "\u202E")]
    [InlineData(10, "\u001b[31m")]
    [InlineData(10, "\nnext line")]
    public async Task Pause_ReasonTooLongOrWithControlOrBidiCharacters_Is400AndStaysActive(int length, string suffix)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        var reason = new string('r', length) + suffix;

        var response = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause", new { reason });

        await response.ValidationProblemAsync("reason");
        Assert.Equal("active", (await alice.GetJsonAsync($"/v1/schedules/{created.Id()}")).Text("status"));
        Assert.Equal(0, await api.CountAsync("schedule_outbox WHERE operation = 'pause'"));
    }

    [Fact]
    public async Task Resume_PausedSchedule_Is200ActiveWithNextRuns()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause", new { reason = "holiday" });

        var response = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/resume");
        var resumed = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("active", resumed.Text("status"));
        Assert.Equal(JsonValueKind.Null, resumed.GetProperty("pausedBy").ValueKind);
        Assert.Equal(JsonValueKind.Null, resumed.GetProperty("pauseReason").ValueKind);
        Assert.Equal(created.GetProperty("nextRuns").ToString(), resumed.GetProperty("nextRuns").ToString());
        Assert.Equal(1, await api.CountAsync("schedule_outbox WHERE operation = 'resume'"));
    }

    [Fact]
    public async Task Resume_ActiveSchedule_Is200UnchangedAndQueuesNothing()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();

        var response = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/resume");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(created.ToString(), (await response.JsonAsync()).ToString());
        Assert.Equal(1, await api.CountAsync("schedule_outbox"));
    }

    [Fact]
    public async Task OperatorPause_ShowsAsPausedByOperatorAndAUserResumeLeavesIt()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        await api.OperatorPauseAsync(created.Id(), "maintenance");

        var shown = await alice.GetJsonAsync($"/v1/schedules/{created.Id()}");
        var resume = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/resume");
        var afterResume = await resume.JsonAsync();

        foreach (var schedule in new[] { shown, afterResume })
        {
            Assert.Equal("paused", schedule.Text("status"));
            Assert.Equal("operator", schedule.Text("pausedBy"));
            Assert.Equal("maintenance", schedule.Text("pauseReason"));
            Assert.Equal(0, schedule.GetProperty("nextRuns").GetArrayLength());
        }

        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal(0, await api.CountAsync("schedule_outbox WHERE operation = 'resume'"));
    }

    [Fact]
    public async Task OperatorPause_OverAUserPause_UserResumeLiftsOnlyTheUsersPause()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause", new { reason = "holiday" });
        await api.OperatorPauseAsync(created.Id(), "maintenance");

        var resumed = await (await alice.PostAtAsync($"/v1/schedules/{created.Id()}/resume")).JsonAsync();
        await api.OperatorResumeAsync(created.Id());
        var afterOperator = await alice.GetJsonAsync($"/v1/schedules/{created.Id()}");

        Assert.Equal("operator", resumed.Text("pausedBy"));
        Assert.Equal(1, await api.CountAsync("schedule_outbox WHERE operation = 'resume'"));
        Assert.Equal("active", afterOperator.Text("status"));
        Assert.Equal(5, afterOperator.GetProperty("nextRuns").GetArrayLength());
    }

    [Fact]
    public async Task Pause_CompletedOneTimeSchedule_Is409()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays().With("recurring", false));
        await api.RunFirstOccurrenceAsync(created);

        var shown = await alice.GetJsonAsync($"/v1/schedules/{created.Id()}");
        var pause = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause");
        var resume = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/resume");

        Assert.Equal("completed", shown.Text("status"));
        Assert.Equal(0, shown.GetProperty("nextRuns").GetArrayLength());
        await pause.ProblemAsync(HttpStatusCode.Conflict);
        await resume.ProblemAsync(HttpStatusCode.Conflict);
    }
}
