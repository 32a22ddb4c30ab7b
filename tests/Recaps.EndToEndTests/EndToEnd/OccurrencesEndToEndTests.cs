using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Recaps.Tests.Api;
using Recaps.Tests.RecapRuns;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Temporal;
using Temporalio.Api.Enums.V1;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// Occurrences the server itself starts: at their time, by an operator's backfill or trigger, and
/// while no worker is up. They wait for real time, so they have a server (and run) of their own.
/// </summary>
[Collection(OccurrencesGroup.Name)]
public class OccurrencesEndToEndTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    private static readonly string[] EveryDay = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    [Fact]
    public async Task ScheduledOccurrence_DueInAMinuteOrTwo_FiresOnceUnderItsWorkflowIdAndShowsInRunsAndRecaps()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var (due, deadline) = NextWholeMinute();
        var id = await SyncedDailyAsync(alice, "UTC", due.InUtc().TimeOfDay);

        var run = await EndToEndWorld.RunAsync(alice, id, $"the occurrence due at {due}", r => EndToEndWorld.NominalTime(r) == due, "completed", deadline);

        Assert.Equal(RecapWorld.ScheduledWorkflowId(Guid.Parse(id), due), run.Text("workflowId"));
        Assert.Single((await alice.GetJsonAsync($"/v1/schedules/{id}/runs")).GetProperty("items").EnumerateArray());
        var recap = Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
        Assert.Equal(run.Text("recapId"), recap.Id());
        Assert.Equal(due, Instant.FromDateTimeOffset(recap.GetProperty("windowEnd").GetDateTimeOffset()));
        Assert.Equal(1, (await alice.GetJsonAsync($"/v1/schedules/{id}")).GetProperty("runCount").GetInt32());
    }

    [Fact]
    public async Task OneTimeSchedule_DueInAMinuteOrTwo_FiresOnceCompletesAndLeavesTemporal()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var (due, deadline) = NextWholeMinute();
        var id = await EndToEndWorld.CreateSyncedAsync(alice, Daily("UTC", due.InUtc().TimeOfDay).With("recurring", false));
        var handle = world.Temporal.GetScheduleHandle(ScheduleId(id));
        var written = (await handle.DescribeAsync()).Schedule.State;

        var run = await EndToEndWorld.RunAsync(alice, id, $"the one-time occurrence due at {due}", r => EndToEndWorld.NominalTime(r) == due, "completed", deadline);
        var outcome = await Eventually.UntilAsync($"{handle.Id} to be deleted once completed", () => SchedulesEndToEndTests.DescribeOutcomeAsync(handle), o => o != "found");

        Assert.Equal((true, 1L), (written.LimitedActions, written.RemainingActions));
        Assert.Equal(RecapWorld.ScheduledWorkflowId(Guid.Parse(id), due), run.Text("workflowId"));
        Assert.Equal("NotFound", outcome);
        Assert.Equal("completed", (await alice.GetJsonAsync($"/v1/schedules/{id}")).Text("status"));
        Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task OneTimeSchedule_ReachingTemporalAfterItsTime_IsBackfilledWithinTheCatchupWindowAndRunsOnce()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var (due, deadline) = NextWholeMinute();
        // Created with no worker up, so no sync writes it to Temporal before its time.
        await world.StopWorkerAsync();
        var id = (await alice.CreateScheduleAsync(Daily("UTC", due.InUtc().TimeOfDay).With("recurring", false))).Id();
        // Its time has to pass with no worker up: there is no event to await.
        await Task.Delay((due - SystemClock.Instance.GetCurrentInstant()).ToTimeSpan() + TimeSpan.FromSeconds(2), ApiCalls.Cancel);
        await world.StartWorkerAsync();

        var run = await EndToEndWorld.RunAsync(alice, id, $"the one-time occurrence due at {due}", r => EndToEndWorld.NominalTime(r) == due, "completed", deadline);

        Assert.Equal(RecapWorld.ScheduledWorkflowId(Guid.Parse(id), due), run.Text("workflowId"));
        Assert.Single((await alice.GetJsonAsync($"/v1/schedules/{id}/runs")).GetProperty("items").EnumerateArray());
        Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Backfill_WithTheCliOverAPastNominalTime_StoresOneRecapUnderItsWorkflowId()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = await SyncedDailyAsync(alice, "Europe/Berlin", new LocalTime(7, 30));
        // 07:30 in Berlin on 1 December 2026 (CET).
        var nominal = Instant.FromUtc(2026, 12, 1, 6, 30);

        await BackfillAsync(world, id, nominal);
        var run = await EndToEndWorld.RunAsync(alice, id, $"the backfill of {nominal}", r => EndToEndWorld.NominalTime(r) == nominal, "completed");

        Assert.Equal($"recap-{id}-2026-12-01T06:30:00Z", run.Text("workflowId"));
        var recap = Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
        Assert.Equal(run.Text("recapId"), recap.Id());
        Assert.Equal(nominal, Instant.FromDateTimeOffset(recap.GetProperty("windowEnd").GetDateTimeOffset()));
    }

    [Fact]
    public async Task SameOccurrence_BackfilledTriggeredAndBackfilledAgain_StoresOneRecap()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres);
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        // A zone where it is about noon now, so the trigger (started now) falls on the date of the backfilled 06:00.
        var now = SystemClock.Instance.GetCurrentInstant();
        var zone = NoonZone(now);
        var id = await SyncedDailyAsync(alice, zone.Id, new LocalTime(6, 0));
        var nominal = now.InZone(zone).Date.At(new LocalTime(6, 0)).InZoneStrictly(zone).ToInstant();

        await BackfillAsync(world, id, nominal);
        var first = await EndToEndWorld.RunAsync(alice, id, "the backfill", r => EndToEndWorld.NominalTime(r) == nominal, "completed");
        await TemporalOperator.RunAsync(world.Server, "schedule", "trigger", "--schedule-id", ScheduleId(id), "--overlap-policy", "AllowAll");
        // The trigger's nominal time is when the server took it, in whole seconds: any but the backfilled one.
        var triggered = await EndToEndWorld.RunAsync(alice, id, "the trigger", r => EndToEndWorld.NominalTime(r) != nominal, "skipped");
        var workflow = world.Temporal.GetWorkflowHandle(first.Text("workflowId"));
        var firstExecution = await Eventually.UntilAsync(
            "the backfilled workflow to close", () => workflow.DescribeAsync(), d => d.Status == WorkflowExecutionStatus.Completed);
        // Temporal starts the same workflow id again once the first has closed; its claim finds the occurrence done.
        await BackfillAsync(world, id, nominal);
        var again = await Eventually.UntilAsync(
            "the second start of the backfilled workflow id to close",
            () => workflow.DescribeAsync(),
            d => d.RunId != firstExecution.RunId && d.Status == WorkflowExecutionStatus.Completed);
        var againOutcome = await world.Temporal.GetWorkflowHandle(workflow.Id, again.RunId).GetResultAsync<RecapOutcome>();

        Assert.StartsWith($"duplicate occurrence {nominal.InZone(zone).Date:uuuu'-'MM'-'dd}: already run by {first.Text("workflowId")}", triggered.Text("reason"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, triggered.GetProperty("recapId").ValueKind);
        Assert.Equal(first.Text("recapId"), againOutcome.RecapId.ToString());
        Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
        Assert.Equal(1, (await alice.GetJsonAsync($"/v1/schedules/{id}")).GetProperty("runCount").GetInt32());
        Assert.Equal(2, (await alice.GetJsonAsync($"/v1/schedules/{id}/runs")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task WorkerDown_BackWithinTheCatchupWindow_RunsTheOccurrenceLateOnce()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, settings: CatchupWindow(TimeSpan.FromSeconds(30)));
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = await SyncedDailyAsync(alice, "UTC", new LocalTime(8, 0));
        var nominal = Instant.FromUtc(2026, 12, 1, 8, 0);

        await StartWhileNoWorkerIsUpAsync(world, id, nominal, TimeSpan.FromSeconds(10));
        var run = await EndToEndWorld.RunAsync(alice, id, "the occurrence started while no worker was up", r => EndToEndWorld.NominalTime(r) == nominal, "completed");

        Assert.Equal(run.Text("recapId"), Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray()).Id());
        Assert.Single((await alice.GetJsonAsync($"/v1/schedules/{id}/runs")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task WorkerDown_BackAfterTheCatchupWindow_RecordsTheOccurrenceMissed()
    {
        var catchupWindow = TimeSpan.FromSeconds(10);
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, settings: CatchupWindow(catchupWindow));
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = await SyncedDailyAsync(alice, "UTC", new LocalTime(8, 0));
        var nominal = Instant.FromUtc(2026, 12, 1, 8, 0);

        await StartWhileNoWorkerIsUpAsync(world, id, nominal, catchupWindow + TimeSpan.FromSeconds(2));
        var run = await EndToEndWorld.RunAsync(alice, id, "the occurrence no worker took up in time", r => EndToEndWorld.NominalTime(r) == nominal, "missed");

        var outcome = await RecordedHistories.CompletedAsync(world.Temporal, run.Text("workflowId"), "no-worker-missed");

        Assert.StartsWith("no worker took it up within the catch-up window: waited 00:00:1", run.Text("reason"), StringComparison.Ordinal);
        Assert.Equal((RecapOutcomeStatus.Skipped, run.Text("reason")), (outcome.Status, outcome.Reason));
        Assert.Empty((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray());
        Assert.Equal(0, (await alice.GetJsonAsync($"/v1/schedules/{id}")).GetProperty("runCount").GetInt32());
    }

    internal static Dictionary<string, object?> Daily(string zone, LocalTime time) =>
        ScheduleBodies.Weekdays("dev").With("daysOfWeek", EveryDay).With("timeZone", zone).With("timeOfDay", time.ToString("HH:mm", CultureInfo.InvariantCulture));

    /// <summary>
    /// The next whole minute at least 40 s away (time for the sync to put a schedule on the server),
    /// and how long to wait for a run of it: until then, and a minute and a half for jitter and the run.
    /// </summary>
    internal static (Instant Due, TimeSpan Deadline) NextWholeMinute()
    {
        var now = SystemClock.Instance.GetCurrentInstant();
        var due = Instant.FromUnixTimeSeconds(((now.ToUnixTimeSeconds() + 40) / 60 * 60) + 60);
        return (due, (due - now).ToTimeSpan() + TimeSpan.FromSeconds(90));
    }

    /// <summary>Alice's every-day schedule, once Temporal has it.</summary>
    private static async Task<string> SyncedDailyAsync(HttpClient alice, string zone, LocalTime time)
    {
        return await EndToEndWorld.CreateSyncedAsync(alice, Daily(zone, time));
    }

    /// <summary>Temporal starts the occurrence while the world's worker is stopped; a worker is back after <paramref name="downFor"/>.</summary>
    private static async Task StartWhileNoWorkerIsUpAsync(EndToEndWorld world, string id, Instant nominal, TimeSpan downFor)
    {
        await world.StopWorkerAsync();
        await BackfillAsync(world, id, nominal);
        // Time itself is what the start has to wait out with no worker: there is no event to await.
        await Task.Delay(downFor, ApiCalls.Cancel);
        await world.StartWorkerAsync();
    }

    private static Dictionary<string, string?> CatchupWindow(TimeSpan window) =>
        new() { ["Recaps:Schedules:CatchupWindow"] = window.ToString("c", CultureInfo.InvariantCulture) };

    private static string ScheduleId(string id) => TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(id));

    /// <summary>The operator's backfill of one nominal time, with the CLI as an operator types it.</summary>
    private static Task<string> BackfillAsync(EndToEndWorld world, string id, Instant nominal) => TemporalOperator.RunAsync(
        world.Server, "schedule", "backfill", "--schedule-id", ScheduleId(id), "--overlap-policy", "AllowAll",
        "--start-time", InstantPattern.General.Format(nominal - Duration.FromSeconds(1)), "--end-time", InstantPattern.General.Format(nominal + Duration.FromSeconds(1)));

    /// <summary>A fixed-offset zone (tzdb's Etc/GMT±N, signs inverted) where the local time is between 12:00 and 13:00.</summary>
    private static DateTimeZone NoonZone(Instant now)
    {
        var offset = 12 - now.InUtc().Hour;
        return DateTimeZoneProviders.Tzdb[offset == 0 ? "Etc/GMT" : offset > 0 ? $"Etc/GMT-{offset}" : $"Etc/GMT+{-offset}"];
    }
}

/// <summary>Tests that wait for real time, on a dev server of their own so they run beside the other end-to-end tests.</summary>
[CollectionDefinition(Name)]
public sealed class OccurrencesGroup : ICollectionFixture<TemporalServerFixture>
{
    public const string Name = "End to end: occurrences";
}
