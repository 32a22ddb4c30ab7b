using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Api.Schedules;
using Recaps.Tests.Api;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client.Schedules;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace Recaps.Tests.EndToEnd;

/// <summary>A schedule's life through the API, as Temporal sees it and as an operator changes it.</summary>
[Collection(EndToEndGroup.Name)]
public class SchedulesEndToEndTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    [Fact]
    public async Task Create_ThroughTheApi_DescribeShowsTheTranslatedSpecPoliciesMemoAndNote()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        await world.Api.ChannelAsync("dev", "alice");
        using var alice = world.Api.As("alice");
        var id = Guid.Parse((await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id());

        var synced = await EndToEndWorld.SyncedAsync(alice, id.ToString());
        var scheduleId = TemporalScheduleSpecTranslator.ScheduleId(id);
        var described = await world.Temporal.GetScheduleHandle(scheduleId).DescribeAsync();

        var stored = await world.Services.GetRequiredService<ScheduleRepository>().GetAsync(id, ApiCalls.Cancel);
        // Rendered now rather than at the sync's moment: the spec is the same all year.
        var expected = TemporalScheduleSpecTranslator.Translate(stored!, TimeZoneData.BuiltIn, world.Services.GetRequiredService<IOptions<RecapsOptions>>().Value.Schedules, world.TaskQueue, SystemClock.Instance.GetCurrentInstant());
        Assert.Equal(Json(TemporalScheduleView.From(scheduleId, expected)), Json(TemporalScheduleView.From(scheduleId, described.Schedule)));
        Assert.Equal("UTC", described.Schedule.Spec.TimeZoneName);
        // 09:00 in New York is 13:00 UTC in summer and 14:00 in winter, Monday to Friday.
        Assert.All(described.Schedule.Spec.Calendars, c => Assert.Equal(new ScheduleRange(1, 5), Assert.Single(c.DayOfWeek)));
        Assert.Equal([13, 14], described.Schedule.Spec.Calendars.Select(c => Assert.Single(c.Hour).Start).Distinct().Order());
        Assert.Equal(TimeSpan.FromSeconds(1), described.Schedule.Spec.Jitter);
        Assert.Equal(ScheduleOverlapPolicy.Skip, described.Schedule.Policy.Overlap);
        Assert.Equal(TimeSpan.FromHours(6), described.Schedule.Policy.CatchupWindow);
        Assert.False(described.Schedule.Policy.PauseOnFailure);
        var action = Assert.IsType<ScheduleActionStartWorkflow>(described.Schedule.Action);
        Assert.Equal(nameof(RecapWorkflow), action.Workflow);
        Assert.Equal(world.TaskQueue, action.Options.TaskQueue);
        Assert.Equal($"recap-{id}", action.Options.Id);
        Assert.Equal("alice", await Assert.IsAssignableFrom<IEncodedRawValue>(action.Options.Memo!["userId"]).ToValueAsync<string>());
        Assert.Equal("Standup digest", await Assert.IsAssignableFrom<IEncodedRawValue>(action.Options.Memo!["title"]).ToValueAsync<string>());
        var request = await Assert.IsAssignableFrom<IEncodedRawValue>(Assert.Single(action.Args)).ToValueAsync<RecapRequest>();
        Assert.Equal(new RecapRequest(id), request);
        Assert.Equal(await world.MarkAsync(), await TemporalScheduleMapping.OwnerAsync(described.Memo));
        Assert.False(described.Schedule.State.Paused);
        Assert.Equal(TemporalScheduleSpecTranslator.ManagedNote, described.Schedule.State.Note);
        Assert.Equal(JsonValueKind.Null, synced.GetProperty("sync").GetProperty("error").ValueKind);

        if (world.Server.Cli is not null)
        {
            // The same, as an operator reads it.
            var cli = await TemporalOperator.JsonAsync(world.Server, "schedule", "describe", "--schedule-id", scheduleId);
            var spec = cli.GetProperty("schedule").GetProperty("spec");
            Assert.Equal("UTC", spec.Text("timezoneName"));
            Assert.Equal("1s", spec.Text("jitter"));
            var calendars = spec.GetProperty("structuredCalendar").EnumerateArray().ToList();
            Assert.Equal(described.Schedule.Spec.Calendars.Count, calendars.Count);
            Assert.Contains(calendars, c => c.Text("comment") == "Mon-Fri 09:00 America/New_York, EDT, UTC-04:00"
                && Assert.Single(c.GetProperty("hour").EnumerateArray()).GetProperty("start").GetInt32() == 13);
            Assert.Equal("SCHEDULE_OVERLAP_POLICY_SKIP", cli.GetProperty("schedule").GetProperty("policies").Text("overlapPolicy"));
            Assert.Equal("21600s", cli.GetProperty("schedule").GetProperty("policies").Text("catchupWindow"));
            Assert.Equal(TemporalScheduleSpecTranslator.ManagedNote, cli.GetProperty("schedule").GetProperty("state").Text("notes"));
            Assert.True(cli.GetProperty("memo").GetProperty("fields").TryGetProperty(ScheduleOwner.MemoKey, out _), cli.ToString());
            var listed = await TemporalOperator.JsonAsync(world.Server, "schedule", "list");
            Assert.Contains(listed.EnumerateArray(), s => s.Text("scheduleId") == scheduleId);
        }
    }

    [Fact]
    public async Task Update_ThroughTheApi_RewritesSpecAndMemoKeepingTheMark()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        var (alice, id, handle) = await SyncedWeekdaysAsync(world);
        using var _ = alice;

        var body = ScheduleBodies.Weekdays("dev").With("title", "Weekend digest").With("timeOfDay", "07:15")
            .With("daysOfWeek", ScheduleBodies.List("saturday", "sunday")).With("timeZone", "Europe/Paris");
        Assert.Equal(HttpStatusCode.OK, (await alice.PutAtAsync($"/v1/schedules/{id}", body)).StatusCode);
        var described = await Eventually.UntilAsync(
            $"the update of {handle.Id} to reach Temporal", () => handle.DescribeAsync(),
            d => d.Schedule.Spec.Calendars.All(c => c.Comment?.Contains("Europe/Paris", StringComparison.Ordinal) == true));
        await EndToEndWorld.SyncedAsync(alice, id);

        // 07:15 in Paris is 05:15 UTC in summer and 06:15 in winter, on the same Saturdays and Sundays.
        Assert.All(described.Schedule.Spec.Calendars, c => Assert.Equal([new ScheduleRange(0), new ScheduleRange(6)], c.DayOfWeek));
        Assert.All(described.Schedule.Spec.Calendars, c => Assert.Equal(15, Assert.Single(c.Minute).Start));
        Assert.Equal([5, 6], described.Schedule.Spec.Calendars.Select(c => Assert.Single(c.Hour).Start).Distinct().Order());
        var action = Assert.IsType<ScheduleActionStartWorkflow>(described.Schedule.Action);
        Assert.Equal("Weekend digest", await Assert.IsAssignableFrom<IEncodedRawValue>(action.Options.Memo!["title"]).ToValueAsync<string>());
        Assert.Equal(await world.MarkAsync(), await TemporalScheduleMapping.OwnerAsync(described.Memo));
    }

    [Fact]
    public async Task UserPauseAndResume_ThroughTheApi_PauseAndUnpauseTheTemporalScheduleWithTheUsersNote()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        var (alice, id, handle) = await SyncedWeekdaysAsync(world);
        using var _ = alice;

        Assert.Equal(HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/schedules/{id}/pause", new { reason = "on holiday" })).StatusCode);
        var paused = await Eventually.UntilAsync($"{handle.Id} to be paused", () => handle.DescribeAsync(), d => d.Schedule.State.Paused);
        var shown = await EndToEndWorld.SyncedAsync(alice, id);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/schedules/{id}/resume")).StatusCode);
        var resumed = await Eventually.UntilAsync($"{handle.Id} to be unpaused", () => handle.DescribeAsync(), d => !d.Schedule.State.Paused);

        Assert.Equal("recaps:user: on holiday", paused.Schedule.State.Note);
        Assert.Equal(("paused", "user"), (shown.Text("status"), shown.Text("pausedBy")));
        Assert.Equal(TemporalScheduleSpecTranslator.ManagedNote, resumed.Schedule.State.Note);
        Assert.Equal("active", (await EndToEndWorld.SyncedAsync(alice, id)).Text("status"));
    }

    [Fact]
    public async Task OperatorPause_InTemporal_ShowsInTheApiUntilTheOperatorUnpauses()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        var (alice, id, handle) = await SyncedWeekdaysAsync(world);
        using var _ = alice;
        var scheduleId = handle.Id;

        await TemporalOperator.ToggleAsync(world, scheduleId, pause: true, "database maintenance");
        var paused = await Eventually.UntilAsync(
            $"the operator's pause of {scheduleId} to show in the API",
            () => alice.GetJsonAsync($"/v1/schedules/{id}"),
            schedule => schedule.GetProperty("pausedBy").ValueKind == JsonValueKind.String);

        Assert.Equal("operator", paused.Text("pausedBy"));
        Assert.Equal("database maintenance", paused.Text("pauseReason"));
        Assert.Equal("paused", paused.Text("status"));

        // The user's own pause and resume go through, and leave the operator's pause in place.
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/schedules/{id}/pause", new { reason = "away" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/schedules/{id}/resume")).StatusCode);
        var afterResume = await EndToEndWorld.SyncedAsync(alice, id);
        var stillPaused = (await world.Temporal.GetScheduleHandle(scheduleId).DescribeAsync()).Schedule.State;
        Assert.Equal((true, "database maintenance"), (stillPaused.Paused, stillPaused.Note));
        Assert.Equal(("paused", "operator"), (afterResume.Text("status"), afterResume.Text("pausedBy")));

        await TemporalOperator.ToggleAsync(world, scheduleId, pause: false, "maintenance over");
        var resumed = await Eventually.UntilAsync(
            $"the operator's unpause of {scheduleId} to show in the API",
            () => alice.GetJsonAsync($"/v1/schedules/{id}"),
            schedule => schedule.GetProperty("pausedBy").ValueKind == JsonValueKind.Null);

        Assert.Equal("active", resumed.Text("status"));
        Assert.Equal(JsonValueKind.Null, resumed.GetProperty("pauseReason").ValueKind);
        Assert.False((await world.Temporal.GetScheduleHandle(scheduleId).DescribeAsync()).Schedule.State.Paused);
    }

    [Fact]
    public async Task Delete_ThroughTheApi_DeletesTheTemporalSchedule()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        var (alice, id, handle) = await SyncedWeekdaysAsync(world);
        using var _ = alice;

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAtAsync($"/v1/schedules/{id}")).StatusCode);
        var outcome = await Eventually.UntilAsync($"Temporal schedule {handle.Id} to be deleted", () => DescribeOutcomeAsync(handle), o => o != "found");

        Assert.Equal(nameof(RpcException.StatusCode.NotFound), outcome);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAtAsync($"/v1/schedules/{id}")).StatusCode);
    }

    /// <summary>Alice's weekday schedule, once Temporal has it: her client (the caller disposes it), its id and its Temporal schedule.</summary>
    /// <summary>Alice, her weekdays 09:00 New York schedule once it is on the server, and its Temporal handle.</summary>
    internal static async Task<(HttpClient Alice, string Id, ScheduleHandle Handle)> SyncedWeekdaysAsync(EndToEndWorld world)
    {
        await world.Api.ChannelAsync("dev", "alice");
        var alice = world.Api.As("alice");
        var id = await EndToEndWorld.CreateSyncedAsync(alice, ScheduleBodies.Weekdays("dev"));
        return (alice, id, world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(id))));
    }

    internal static async Task<string> DescribeOutcomeAsync(ScheduleHandle handle)
    {
        try
        {
            await handle.DescribeAsync();
            return "found";
        }
        catch (RpcException error)
        {
            return error.Code.ToString();
        }
    }

    private static string Json(TemporalScheduleView view) => JsonSerializer.Serialize(view);
}
