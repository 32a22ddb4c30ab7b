using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Api;

public class SchedulesApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Create_ValidBody_Returns201WithLocationAndTheSchedule()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var response = await alice.PostAsJsonAsync(ApiCalls.Url("/v1/schedules"), ScheduleBodies.Weekdays(), ApiCalls.Cancel);
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = body.Id();
        Assert.Equal($"/v1/schedules/{id}", response.Headers.Location?.ToString());
        Assert.Equal("alice", body.Text("userId"));
        Assert.Equal("active", body.Text("status"));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("pausedBy").ValueKind);
        Assert.Equal("pending", body.GetProperty("sync").Text("state"));
        Assert.Equal(5, body.GetProperty("nextRuns").GetArrayLength());
        Assert.Equal("2026-03-02T14:00:00Z", body.GetProperty("nextRuns")[0].Text("at"));
        Assert.Equal("2026-03-02T09:00:00-05:00", body.GetProperty("nextRuns")[0].Text("local"));
        Assert.Equal($"recap-schedule-{id}", body.GetProperty("temporal").Text("scheduleId"));
        // The spec the sync will write: compiled with this tzdb, firing until ten years after this one.
        Assert.Equal(TimeZoneData.BuiltIn.Version, body.GetProperty("temporal").Text("tzdb"));
        Assert.Equal("2037-01-01T00:00:00Z", body.GetProperty("temporal").Text("specUntil"));
        Assert.Equal("UTC", body.GetProperty("temporal").GetProperty("spec").Text("timeZoneName"));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("sync").GetProperty("tzdb").ValueKind);
        Assert.False(body.GetProperty("sync").GetProperty("specOverdue").GetBoolean());
        Assert.Equal(1, await api.CountAsync("schedules"));
        Assert.Equal(1, await api.CountAsync("schedule_outbox"));
    }

    [Fact]
    public async Task Get_ScheduleWithTheLargestTemporalView_FitsTheJsonFastPath()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        // The largest compiled spec over every zone (BENCHMARKS.md §8), with the longest free texts.
        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays()
            .With("daysOfWeek", ScheduleBodies.List("saturday", "sunday"))
            .With("timeOfDay", "02:00")
            .With("timeZone", "Australia/Broken_Hill")
            .With("title", new string('t', 255))
            .With("customInstructions", new string('c', 500)));

        var answer = await alice.GetByteArrayAsync(ApiCalls.Url($"/v1/schedules/{created.Id()}"), ApiCalls.Cancel);

        // System.Text.Json writes an answer type with its generated serializer only while every answer
        // of it has fit in half its buffer; the default's half would not hold this one.
        var buffer = api.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions.DefaultBufferSize;
        Assert.InRange(answer.Length, new JsonSerializerOptions().DefaultBufferSize / 2, buffer / 2);
    }

    [Fact]
    public async Task Create_MixedCaseDaysAndPaddedTitle_AreStoredLowercaseAndTrimmed()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays()
            .With("daysOfWeek", ScheduleBodies.List("MONDAY", "Wednesday", "fRiDaY"))
            .With("title", "  Standup digest  "));
        var read = await alice.GetJsonAsync($"/v1/schedules/{created.Id()}");

        foreach (var schedule in new[] { created, read })
        {
            Assert.Equal(["monday", "wednesday", "friday"], schedule.GetProperty("daysOfWeek").EnumerateArray().Select(d => d.GetString()));
            Assert.Equal("Standup digest", schedule.Text("title"));
        }
    }

    [Fact]
    public async Task Create_OmittedOptionalFields_TakeTheirDefaults()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays()
            .Without("recurring").Without("agent").Without("customInstructions").Without("channelIds"));

        Assert.True(created.GetProperty("recurring").GetBoolean());
        Assert.Equal("extractive", created.Text("agent"));
        Assert.Equal(JsonValueKind.Null, created.GetProperty("customInstructions").ValueKind);
        Assert.Equal(0, created.GetProperty("channelIds").GetArrayLength());
    }

    [Fact]
    public async Task List_ReturnsOnlyTheCallersSchedules_NewestFirst()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        var created = new List<string>();
        foreach (var title in ScheduleBodies.List("first", "second", "third"))
        {
            created.Add((await alice.CreateScheduleAsync(ScheduleBodies.Weekdays().With("title", title))).Id());
            await bob.CreateScheduleAsync(ScheduleBodies.Weekdays().With("title", $"bob's {title}"));
            api.Clock.Advance(Duration.FromMinutes(1));
        }

        var list = (await alice.GetJsonAsync("/v1/schedules")).GetProperty("items");

        Assert.Equal(Enumerable.Reverse(created), list.EnumerateArray().Select(s => s.Id()));
        Assert.All(list.EnumerateArray(), s => Assert.Equal("alice", s.Text("userId")));
    }

    [Fact]
    public async Task List_NoSchedules_IsEmpty()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var list = await alice.GetJsonAsync("/v1/schedules");

        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Get_OwnSchedule_ReturnsWhatCreateReturned()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();

        var read = await alice.GetJsonAsync($"/v1/schedules/{created.Id()}");

        Assert.Equal(created.ToString(), read.ToString());
    }

    [Fact]
    public async Task Get_MissingSchedule_Is404Problem()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        await (await alice.GetAtAsync($"/v1/schedules/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_NotAGuid_Is404Problem()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        await (await alice.GetAtAsync("/v1/schedules/not-a-guid")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Update_NewBody_ReplacesEveryEditableFieldAndQueuesAnUpsert()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        await api.ChannelAsync("dev", "alice");
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays().With("customInstructions", "be brief"));
        api.Clock.Advance(Duration.FromMinutes(5));
        var replacement = new Dictionary<string, object?>
        {
            ["title"] = "Weekend digest",
            ["daysOfWeek"] = ScheduleBodies.List("saturday", "sunday"),
            ["timeOfDay"] = "18:30",
            ["timeZone"] = "Europe/London",
            ["channelMode"] = "specific",
            ["channelIds"] = ScheduleBodies.List("dev"),
        };

        var response = await alice.PutAtAsync($"/v1/schedules/{created.Id()}", replacement);
        var updated = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(created.Id(), updated.Id());
        Assert.Equal("Weekend digest", updated.Text("title"));
        Assert.Equal(["saturday", "sunday"], updated.GetProperty("daysOfWeek").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("18:30", updated.Text("timeOfDay"));
        Assert.Equal("Europe/London", updated.Text("timeZone"));
        Assert.Equal("specific", updated.Text("channelMode"));
        Assert.Equal(["dev"], updated.GetProperty("channelIds").EnumerateArray().Select(c => c.GetString()));
        // Full replacement: a field left out takes its default, it does not keep the old value.
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("customInstructions").ValueKind);
        Assert.Equal(created.Text("createdAt"), updated.Text("createdAt"));
        Assert.Equal("2026-03-02T12:05:00Z", updated.Text("updatedAt"));
        Assert.Equal("2026-03-07T18:30:00Z", updated.GetProperty("nextRuns")[0].Text("at"));
        Assert.Equal(updated.ToString(), (await alice.GetJsonAsync($"/v1/schedules/{created.Id()}")).ToString());
        Assert.Equal(2, await api.CountAsync("schedule_outbox WHERE operation = 'upsert'"));
    }

    [Fact]
    public async Task Update_OneTimeSchedule_ReanchorsToTheNextOccurrenceAfterTheUpdate()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var body = ScheduleBodies.Weekdays().With("recurring", false);
        var created = await alice.CreateScheduleAsync(body);
        api.Clock.Advance(Duration.FromDays(1)); // past its only occurrence, Monday 09:00 New York

        var before = await alice.GetJsonAsync($"/v1/schedules/{created.Id()}");
        var updated = await (await alice.PutAtAsync($"/v1/schedules/{created.Id()}", body)).JsonAsync();

        Assert.Equal(["2026-03-02T14:00:00Z"], created.GetProperty("nextRuns").EnumerateArray().Select(r => r.Text("at")));
        Assert.Equal(0, before.GetProperty("nextRuns").GetArrayLength());
        Assert.Equal(["2026-03-03T14:00:00Z"], updated.GetProperty("nextRuns").EnumerateArray().Select(r => r.Text("at")));
        Assert.Equal("active", updated.Text("status"));
    }

    [Fact]
    public async Task Update_PausedSchedule_StaysPaused()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause", new { reason = "holiday" });

        var updated = await (await alice.PutAtAsync($"/v1/schedules/{created.Id()}", ScheduleBodies.Weekdays().With("title", "renamed"))).JsonAsync();

        Assert.Equal("renamed", updated.Text("title"));
        Assert.Equal("paused", updated.Text("status"));
        Assert.Equal("holiday", updated.Text("pauseReason"));
        Assert.Equal(0, updated.GetProperty("nextRuns").GetArrayLength());
    }

    [Fact]
    public async Task Update_InvalidBody_Is400AndChangesNothing()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();

        var response = await alice.PutAtAsync($"/v1/schedules/{created.Id()}", ScheduleBodies.Weekdays().With("timeOfDay", "25:00"));

        await response.ValidationProblemAsync("timeOfDay");
        Assert.Equal(created.ToString(), (await alice.GetJsonAsync($"/v1/schedules/{created.Id()}")).ToString());
        Assert.Equal(1, await api.CountAsync("schedule_outbox"));
    }

    [Fact]
    public async Task Delete_OwnSchedule_Is204ThenGoneWithADeleteQueued()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();

        var deleted = await alice.DeleteAtAsync($"/v1/schedules/{created.Id()}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await alice.GetAtAsync($"/v1/schedules/{created.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await alice.GetJsonAsync("/v1/schedules")).GetProperty("items").GetArrayLength());
        Assert.Equal(1, await api.CountAsync("schedule_outbox WHERE operation = 'delete'"));
    }

    [Fact]
    public async Task Delete_Twice_IsThen404AndQueuesOneDelete()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        await alice.DeleteAtAsync($"/v1/schedules/{created.Id()}");

        var again = await alice.DeleteAtAsync($"/v1/schedules/{created.Id()}");

        await again.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, await api.CountAsync("schedule_outbox WHERE operation = 'delete'"));
    }

    [Theory]
    [InlineData("PUT", "")]
    [InlineData("POST", "/pause")]
    [InlineData("POST", "/resume")]
    [InlineData("POST", "/run")]
    [InlineData("GET", "/runs")]
    public async Task CallsOnADeletedSchedule_Are404(string method, string suffix)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        await alice.DeleteAtAsync($"/v1/schedules/{created.Id()}");

        var response = await alice.SendJsonAsync(
            new HttpMethod(method), $"/v1/schedules/{created.Id()}{suffix}", method == "PUT" ? ScheduleBodies.Weekdays() : null);

        await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2, await api.CountAsync("schedule_outbox"));
    }
}
