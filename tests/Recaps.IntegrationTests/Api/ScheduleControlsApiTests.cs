using System.Net;
using System.Text.Json;

namespace Recaps.Tests.Api;

/// <summary>skipIfEmpty, skipDates and skip-next through the API (the clock stands at Monday 2 March 2026, 07:00 in New York).</summary>
public class ScheduleControlsApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Create_WithSkipControls_StoredShownAndMarkedInNextRuns()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays()
            .With("skipIfEmpty", true).With("skipDates", ScheduleBodies.List("2026-12-24", "2026-03-03")));

        Assert.True(created.GetProperty("skipIfEmpty").GetBoolean());
        Assert.Equal(["2026-03-03", "2026-12-24"], Dates(created));
        var runs = created.GetProperty("nextRuns");
        Assert.Equal([false, true, false, false, false], runs.EnumerateArray().Select(r => r.GetProperty("skipped").GetBoolean()));
        Assert.Equal("2026-03-03T14:00:00Z", runs[1].Text("at"));
        Assert.Equal("skip date: 2026-03-03 is in the schedule's skipDates", runs[1].Text("skipReason"));
        Assert.Equal(JsonValueKind.Null, runs[0].GetProperty("skipReason").ValueKind);
        Assert.Equal(created.ToString(), (await alice.GetJsonAsync($"/v1/schedules/{created.Id()}")).ToString());
    }

    [Fact]
    public async Task Create_WithoutSkipControls_OffAndNoDates()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays().With("skipIfEmpty", null).With("skipDates", null));

        Assert.False(created.GetProperty("skipIfEmpty").GetBoolean());
        Assert.Empty(Dates(created));
        Assert.DoesNotContain(created.GetProperty("nextRuns").EnumerateArray(), r => r.GetProperty("skipped").GetBoolean());
    }

    [Fact]
    public async Task Create_PassedSkipDates_DroppedNotRefused()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays().With("skipDates", ScheduleBodies.List("2020-01-01", "2026-02-27", "2026-03-01", "2026-03-04")));

        // Yesterday in New York (1 March) is kept: an occurrence can start after its date's midnight.
        Assert.Equal(["2026-03-01", "2026-03-04"], Dates(created));
    }

    [Fact]
    public async Task Update_ReplacesTheControls_AsAChangeOfIntent()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays().With("skipIfEmpty", true).With("skipDates", ScheduleBodies.List("2026-03-03")));

        var replaced = await (await alice.PutAtAsync($"/v1/schedules/{created.Id()}", ScheduleBodies.Weekdays().With("skipDates", ScheduleBodies.List("2026-03-05")))).JsonAsync();
        var cleared = await (await alice.PutAtAsync($"/v1/schedules/{created.Id()}", ScheduleBodies.Weekdays())).JsonAsync();

        Assert.False(replaced.GetProperty("skipIfEmpty").GetBoolean());
        Assert.Equal(["2026-03-05"], Dates(replaced));
        Assert.Empty(Dates(cleared));
        Assert.Equal(3, await api.CountAsync("schedule_outbox WHERE operation = 'upsert'"));
    }

    [Fact]
    public async Task Update_BreakingASkipRule_Is400AndChangesNothing()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays().With("skipDates", ScheduleBodies.List("2026-03-03")));

        var response = await alice.PutAtAsync($"/v1/schedules/{created.Id()}", ScheduleBodies.Weekdays().With("skipDates", ScheduleBodies.List("2026-03-05", "2026-13-01")));

        await response.ValidationProblemAsync("skipDates[1]");
        Assert.Equal(created.ToString(), (await alice.GetJsonAsync($"/v1/schedules/{created.Id()}")).ToString());
    }

    [Fact]
    public async Task Preview_SkipDates_MarkedSkippedAndNothingStored()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var response = await alice.PostAtAsync("/v1/schedules/preview?count=3", ScheduleBodies.Weekdays().With("skipDates", ScheduleBodies.List("2026-03-02")));
        var runs = (await response.JsonAsync()).GetProperty("nextRuns");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([true, false, false], runs.EnumerateArray().Select(r => r.GetProperty("skipped").GetBoolean()));
        Assert.Equal(0, await api.CountAsync("schedules"));
    }

    [Fact]
    public async Task SkipNext_Twice_SkipsTheNextTwoRunsEachAsAChangeOfIntent()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();

        var first = await alice.PostAtAsync($"/v1/schedules/{created.Id()}/skip-next");
        var once = await first.JsonAsync();
        var twice = await (await alice.PostAtAsync($"/v1/schedules/{created.Id()}/skip-next")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(["2026-03-02"], Dates(once));
        Assert.Equal(["2026-03-02", "2026-03-03"], Dates(twice));
        Assert.Equal([true, true, false], twice.GetProperty("nextRuns").EnumerateArray().Take(3).Select(r => r.GetProperty("skipped").GetBoolean()));
        Assert.Equal("pending", twice.GetProperty("sync").Text("state"));
        Assert.Equal(3, await api.CountAsync("schedule_outbox WHERE operation = 'upsert'"));
        Assert.Equal(twice.ToString(), (await alice.GetJsonAsync($"/v1/schedules/{created.Id()}")).ToString());
    }

    [Fact]
    public async Task SkipNext_SomeoneElsesOrUnknownSchedule_Is404()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        var created = await alice.CreateScheduleAsync();

        await (await bob.PostAtAsync($"/v1/schedules/{created.Id()}/skip-next")).ProblemAsync(HttpStatusCode.NotFound);
        await (await alice.PostAtAsync($"/v1/schedules/{Guid.NewGuid()}/skip-next")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(Dates(await alice.GetJsonAsync($"/v1/schedules/{created.Id()}")));
    }

    [Fact]
    public async Task SkipNext_PausedOrOperatorPaused_Is409NamingThePause()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var paused = await alice.CreateScheduleAsync();
        await alice.PostAtAsync($"/v1/schedules/{paused.Id()}/pause");
        var operatorPaused = await alice.CreateScheduleAsync();
        await api.OperatorPauseAsync(operatorPaused.Id(), "maintenance");

        var byUser = await (await alice.PostAtAsync($"/v1/schedules/{paused.Id()}/skip-next")).ProblemAsync(HttpStatusCode.Conflict);
        var byOperator = await (await alice.PostAtAsync($"/v1/schedules/{operatorPaused.Id()}/skip-next")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("paused", byUser.Text("detail"), StringComparison.Ordinal);
        Assert.Contains("operator", byOperator.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(2, await api.CountAsync("schedule_outbox WHERE operation = 'upsert'"));
    }

    [Fact]
    public async Task SkipNext_OneTimeOrCompleted_Is409NamingTheState()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        await api.ChannelAsync("dev", "alice");
        var oneTime = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev").With("recurring", false));

        var pending = await (await alice.PostAtAsync($"/v1/schedules/{oneTime.Id()}/skip-next")).ProblemAsync(HttpStatusCode.Conflict);
        await api.RunFirstOccurrenceAsync(oneTime);
        var completed = await (await alice.PostAtAsync($"/v1/schedules/{oneTime.Id()}/skip-next")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("one-time", pending.Text("detail"), StringComparison.Ordinal);
        Assert.Contains("has run", completed.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SkipNext_FiftyDatesToCome_Is409AndChangesNothing()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var fifty = Enumerable.Range(0, 50).Select(i => new DateOnly(2026, 4, 1).AddDays(i).ToString("yyyy-MM-dd", null)).ToArray();
        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays().With("skipDates", fifty));

        var problem = await (await alice.PostAtAsync($"/v1/schedules/{created.Id()}/skip-next")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("50", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(fifty, Dates(await alice.GetJsonAsync($"/v1/schedules/{created.Id()}")));
    }

    private static string[] Dates(JsonElement schedule) => [.. schedule.GetProperty("skipDates").EnumerateArray().Select(d => d.GetString()!)];
}
