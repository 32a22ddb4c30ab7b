using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Recaps.Testing.Delivery;
using Recaps.Tests.Api;
using Recaps.Tests.RecapRuns;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.Generation;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;
using Temporalio.Exceptions;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// Scheduled occurrences that complete, are skipped or fail, started by backfills of fixed
/// past times; their histories are replayed here and recorded for the fast tier (see <see cref="RecordedHistories"/>).
/// </summary>
[Collection(EndToEndGroup.Name)]
public class HistoryRecordingTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    // 09:00 on Monday 9 March 2026 in New York: fixed, so recordings differ only in the ids Recaps and Temporal mint.
    private static readonly Instant MondayNine = Instant.FromUtc(2026, 3, 9, 13, 0);

    [Fact]
    public async Task Occurrence_BackfilledThenFiredAgainAtANewTimeThatDay_CompletesThenSkipsAsDuplicate()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = await EndToEndWorld.CreateSyncedAsync(alice, ScheduleBodies.Weekdays("dev"));

        var first = await BackfillAsync(world, alice, id, MondayNine, "completed");
        // The user moves the recap to 17:00 after the day's 09:00 recap went out: Temporal fires that day again.
        var moved = await alice.PutAtAsync($"/v1/schedules/{id}", ScheduleBodies.Weekdays("dev").With("timeOfDay", "17:00"));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await EndToEndWorld.SyncedAsync(alice, id);
        var second = await BackfillAsync(world, alice, id, MondayNine + Duration.FromHours(8), "skipped");

        var completed = await RecordedHistories.CompletedAsync(world.Temporal, first.Text("workflowId"), "backfilled-completed");
        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Completed, Guid.Parse(first.Id()), Guid.Parse(first.Text("recapId")), null), completed);
        var skipped = await RecordedHistories.CompletedAsync(world.Temporal, second.Text("workflowId"), "duplicate-occurrence");
        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Skipped, Guid.Parse(second.Id()), null, $"duplicate occurrence 2026-03-09: already run by {first.Text("workflowId")}"), skipped);
    }

    [Fact]
    public async Task Occurrence_FiredWhileTheUserPaused_SkipsWithThePauseReason()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id();
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/schedules/{id}/pause", new { reason = "on holiday" })).StatusCode);
        await EndToEndWorld.SyncedAsync(alice, id);
        var scheduleId = TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(id));
        Assert.True((await world.Temporal.GetScheduleHandle(scheduleId).DescribeAsync()).Schedule.State.Paused);

        // A paused Temporal schedule still runs an operator's backfill; the claim skips it, as it skips
        // a fire that started before the pause reached Temporal.
        var run = await BackfillAsync(world, alice, id, MondayNine, "skipped");

        var outcome = await RecordedHistories.CompletedAsync(world.Temporal, run.Text("workflowId"), "paused-by-user");
        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Skipped, Guid.Parse(run.Id()), null, "paused by the user: on holiday"), outcome);
    }

    [Fact]
    public async Task Occurrence_AgentNotOnTheWorker_MarksTheRunFailedAndFails()
    {
        // A worker deployed without the schedule's agent: generation fails at once, without retries.
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, services => services.RemoveAll<RecapGenerators>().AddSingleton(new RecapGenerators([])));
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = await EndToEndWorld.CreateSyncedAsync(alice, ScheduleBodies.Weekdays("dev"));

        var run = await BackfillAsync(world, alice, id, MondayNine, "failed");

        var failure = await RecordedHistories.FailedAsync(world.Temporal, run.Text("workflowId"), "agent-missing-failed");
        Assert.Equal("RecapFailed", failure.ErrorType);
        // The user sees a code and a safe message; what failed is the failure's cause, for operators.
        Assert.StartsWith($"Recap failed: {RunErrors.InvalidSchedule}: ", failure.Message, StringComparison.Ordinal);
        Assert.Equal("agent 'extractive' is not configured", Assert.IsType<ActivityFailureException>(failure.InnerException).InnerException?.Message);
        Assert.StartsWith($"{RunErrors.InvalidSchedule}: ", run.Text("error"), StringComparison.Ordinal);
        Assert.DoesNotContain("extractive", run.Text("error"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("recapId").ValueKind);
    }

    [Fact]
    public async Task Occurrence_WithAWebhookTarget_IsDeliveredAfterTheRunIsMarkedExecuted()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, settings: new Dictionary<string, string?> { ["Recaps:Delivery:AllowPrivateWebhookAddresses"] = "true" });
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = await EndToEndWorld.CreateSyncedAsync(
            alice, ScheduleBodies.Weekdays("dev").With("deliverTo", new[] { new { type = "webhook", url = webhook.Url.ToString(), secret = "recorded-secret-0123456789" } }));

        var run = await BackfillAsync(world, alice, id, MondayNine, "completed");

        var outcome = await RecordedHistories.CompletedAsync(world.Temporal, run.Text("workflowId"), "routed-when-marked-delivered");
        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Completed, Guid.Parse(run.Id()), Guid.Parse(run.Text("recapId")), null), outcome);
        var delivered = Assert.Single(webhook.Received);
        var delivery = Assert.Single(Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray()).GetProperty("deliveries").EnumerateArray());
        Assert.Equal(("delivered", "webhook"), (delivery.Text("status"), delivery.GetProperty("target").Text("type")));
        Assert.True(Guid.TryParse(delivered.Headers[WebhookSender.DeliveryHeader], out _));
    }

    /// <summary>Backfills the occurrence at <paramref name="nominal"/>, as an operator does, and returns its run once it is <paramref name="status"/>.</summary>
    internal static async Task<JsonElement> BackfillAsync(EndToEndWorld world, HttpClient user, string scheduleId, Instant nominal, string status)
    {
        var schedule = world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(scheduleId)));
        await schedule.BackfillAsync([TemporalScheduleMapping.Backfill(nominal)]);
        var workflowId = RecapWorld.ScheduledWorkflowId(Guid.Parse(scheduleId), nominal);
        return await EndToEndWorld.RunAsync(user, scheduleId, $"the occurrence at {nominal}", r => r.Text("workflowId") == workflowId, status);
    }
}
