using System.Text.Json;
using NodaTime;
using Recaps.Tests.Api;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// The user's controls over occurrences, on the real server: an occurrence Temporal starts (an
/// operator's backfill) on a skip date, or with nothing to recap, ends skipped with its reason and no recap.
/// </summary>
[Collection(EndToEndGroup.Name)]
public class ScheduleControlsEndToEndTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    [Fact]
    public async Task OccurrenceOnASkipDate_StartedByTemporal_IsRecordedSkippedAndStoresNoRecap()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        // Today's 00:05 UTC (yesterday's just after midnight): a date that has not passed, so it is kept.
        var nominal = Instant.FromUnixTimeSeconds((SystemClock.Instance.GetCurrentInstant().ToUnixTimeSeconds() - 300) / 86_400 * 86_400 + 300);
        var date = SkipDateSet.Pattern.Format(nominal.InUtc().Date);
        var id = await EndToEndWorld.CreateSyncedAsync(alice, OccurrencesEndToEndTests.Daily("UTC", new LocalTime(0, 5)).With("skipDates", ScheduleBodies.List(date)));

        var run = await HistoryRecordingTests.BackfillAsync(world, alice, id, nominal, "skipped");
        var outcome = await world.Temporal.GetWorkflowHandle(run.Text("workflowId")).GetResultAsync<RecapOutcome>();

        var reason = $"skip date: {date} is in the schedule's skipDates";
        Assert.Equal(reason, run.Text("reason"));
        Assert.Equal((RecapOutcomeStatus.Skipped, reason), (outcome.Status, outcome.Reason));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("recapId").ValueKind);
        Assert.Empty((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task SkipIfEmptyOccurrence_WithNoPostsInItsWindow_IsRecordedSkippedEmptyAndStoresNoRecap()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        // The seeded post is written now, after the backfilled occurrence's window.
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = await EndToEndWorld.CreateSyncedAsync(alice, OccurrencesEndToEndTests.Daily("UTC", new LocalTime(8, 0)).With("skipIfEmpty", true));
        var nominal = Instant.FromUtc(2026, 12, 1, 8, 0);

        var run = await HistoryRecordingTests.BackfillAsync(world, alice, id, nominal, "skipped");
        var outcome = await world.Temporal.GetWorkflowHandle(run.Text("workflowId")).GetResultAsync<RecapOutcome>();

        Assert.Equal(OccurrenceClaim.EmptyReason, run.Text("reason"));
        Assert.Equal((RecapOutcomeStatus.Skipped, "empty"), (outcome.Status, outcome.Reason));
        Assert.Empty((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
        Assert.Equal(0, (await alice.GetJsonAsync($"/v1/schedules/{id}")).GetProperty("runCount").GetInt32());
    }
}
