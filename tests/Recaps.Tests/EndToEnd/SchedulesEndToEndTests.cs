using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Tests.Api;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Temporal;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace Recaps.Tests.EndToEnd;

/// <summary>A schedule's life through the API, as Temporal sees it and as an operator changes it.</summary>
[Collection(EndToEndGroup.Name)]
public class SchedulesEndToEndTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    [Fact]
    public async Task Create_ThroughTheApi_WritesTheTranslatedTemporalSchedule()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        await world.Api.ChannelAsync("dev", "alice");
        using var alice = world.Api.As("alice");
        var id = Guid.Parse((await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id());

        var synced = await EndToEndWorld.SyncedAsync(alice, id.ToString());
        var described = await world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(id)).DescribeAsync();

        var stored = await world.Services.GetRequiredService<ScheduleRepository>().GetAsync(id, ApiCalls.Cancel);
        // Rendered now rather than at the sync's moment: 09:00 in New York never falls in a DST gap,
        // so the spec has no dated entries and does not depend on when it was written.
        var expected = TemporalScheduleSpecTranslator.Translate(
            stored!, world.Services.GetRequiredService<IOptions<RecapsOptions>>().Value.Schedules, world.TaskQueue, SystemClock.Instance.GetCurrentInstant());
        var scheduleId = TemporalScheduleSpecTranslator.ScheduleId(id);
        Assert.Equal(Json(TemporalScheduleView.From(scheduleId, expected)), Json(TemporalScheduleView.From(scheduleId, described.Schedule)));
        Assert.Equal("America/New_York", described.Schedule.Spec.TimeZoneName);
        Assert.Equal(new ScheduleRange(1, 5), Assert.Single(Assert.Single(described.Schedule.Spec.Calendars).DayOfWeek));
        var action = Assert.IsType<ScheduleActionStartWorkflow>(described.Schedule.Action);
        Assert.Equal(nameof(RecapWorkflow), action.Workflow);
        Assert.Equal(world.TaskQueue, action.Options.TaskQueue);
        Assert.Equal($"recap-{id}", action.Options.Id);
        var request = await Assert.IsAssignableFrom<Temporalio.Converters.IEncodedRawValue>(Assert.Single(action.Args)).ToValueAsync<RecapRequest>();
        Assert.Equal(new RecapRequest(id), request);
        Assert.False(described.Schedule.State.Paused);
        Assert.Equal(TemporalScheduleSpecTranslator.ManagedNote, described.Schedule.State.Note);
        Assert.Equal(JsonValueKind.Null, synced.GetProperty("sync").GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task OperatorPause_InTemporal_ShowsInTheApiUntilTheOperatorUnpauses()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        await world.Api.ChannelAsync("dev", "alice");
        using var alice = world.Api.As("alice");
        var id = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id();
        await EndToEndWorld.SyncedAsync(alice, id);
        var scheduleId = TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(id));

        await TemporalOperator.ToggleAsync(world, scheduleId, pause: true, "database maintenance");
        var paused = await Eventually.UntilAsync(
            $"the operator's pause of {scheduleId} to show in the API",
            () => alice.GetJsonAsync($"/v1/schedules/{id}"),
            schedule => schedule.GetProperty("pausedBy").ValueKind == JsonValueKind.String);

        Assert.Equal("operator", paused.Text("pausedBy"));
        Assert.Equal("database maintenance", paused.Text("pauseReason"));
        Assert.Equal("paused", paused.Text("status"));

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
        await world.Api.ChannelAsync("dev", "alice");
        using var alice = world.Api.As("alice");
        var id = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id();
        await EndToEndWorld.SyncedAsync(alice, id);
        var handle = world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(id)));

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAtAsync($"/v1/schedules/{id}")).StatusCode);
        var outcome = await Eventually.UntilAsync($"Temporal schedule {handle.Id} to be deleted", () => DescribeOutcomeAsync(handle), o => o != "found");

        Assert.Equal(nameof(RpcException.StatusCode.NotFound), outcome);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAtAsync($"/v1/schedules/{id}")).StatusCode);
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
