using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Recaps.Api.Schedules;
using Recaps.Tests.Api;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// A compiled spec over time, on the real server: rolled forward past its horizon, recompiled for a new
/// tzdb, and written again when the server's reading of it drifts from the preview.
/// </summary>
[Collection(EndToEndGroup.Name)]
public class SpecLifecycleEndToEndTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    /// <summary>Reconcile passes only when a test asks for one, so what each pass did can be read.</summary>
    private static readonly Dictionary<string, string?> ManualReconcile = new() { ["Recaps:Sync:ReconcileInterval"] = "01:00:00" };

    private static readonly Duration Jitter = Duration.FromSeconds(1);

    [Fact]
    public async Task Horizon_PassedOnAnInjectedClock_SpecRewrittenAndTheNewYearFiresThePreviewsTimes()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, settings: ManualReconcile);
        var (alice, id, handle) = await SchedulesEndToEndTests.SyncedWeekdaysAsync(world);
        using var _ = alice;
        var scheduleId = handle.Id;
        var year = SystemClock.Instance.GetCurrentInstant().InUtc().Year;
        var beyond = new Interval(Instant.FromUtc(year + 11, 1, 1, 0, 0), Instant.FromUtc(year + 11, 2, 1, 0, 0));
        var before = await TemporalScheduleGateway.MatchingTimesAsync(world.Temporal, scheduleId, beyond, ApiCalls.Cancel);

        // The worker wakes up on New Year's morning of next year.
        await world.StopWorkerAsync();
        await world.StartWorkerAsync(services => services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(year + 1, 1, 1, 0, 5))));
        Assert.True(await world.ReconcileOnceAsync());
        var rolled = await Eventually.UntilAsync(
            $"the spec of {scheduleId} to reach {year + 11}", () => alice.GetJsonAsync($"/v1/schedules/{id}"),
            s => s.GetProperty("sync").Text("state") == "synced" && s.GetProperty("sync").Text("specUntil").StartsWith($"{year + 12}-01-01", StringComparison.Ordinal));
        var after = await TemporalScheduleGateway.MatchingTimesAsync(world.Temporal, scheduleId, beyond, ApiCalls.Cancel);

        Assert.Empty(before);
        AssertFiresThePreview(Preview("America/New_York", beyond), after);
        Assert.False(rolled.GetProperty("sync").GetProperty("specOverdue").GetBoolean());
    }

    [Fact]
    public async Task ScheduleChangedOnTheServerByHand_DriftMarkedWithTheFirstDifference_ThenWrittenAgain()
    {
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, settings: ManualReconcile);
        var (alice, id, handle) = await SchedulesEndToEndTests.SyncedWeekdaysAsync(world);
        using var _ = alice;
        var written = (await handle.DescribeAsync()).Schedule;
        var now = SystemClock.Instance.GetCurrentInstant();
        var firstRun = Instant.FromDateTimeOffset((await alice.GetJsonAsync($"/v1/schedules/{id}")).GetProperty("nextRuns")[0].GetProperty("at").GetDateTimeOffset());

        // An operator moves every entry an hour later, as if by `temporal schedule update`.
        await handle.UpdateAsync(input => new ScheduleUpdate(input.Description.Schedule with
        {
            Spec = input.Description.Schedule.Spec with
            {
                Calendars = [.. input.Description.Schedule.Spec.Calendars.Select(c => c with { Hour = [.. c.Hour.Select(h => new ScheduleRange(h.Start + 1))] })],
            },
        }));
        // Between 09:00 and 10:00 on a weekday the moved entries fire today, before the preview's next run.
        var listed = (await TemporalScheduleGateway.MatchingTimesAsync(world.Temporal, handle.Id, new Interval(now, now + Duration.FromDays(14)), ApiCalls.Cancel))[0];
        Assert.True(await world.ReconcileOnceAsync());
        var marked = await EndToEndWorld.SyncedAsync(alice, id);
        var repaired = (await handle.DescribeAsync()).Schedule;
        Assert.True(await world.ReconcileOnceAsync());
        var cleared = await alice.GetJsonAsync($"/v1/schedules/{id}");

        var drift = marked.GetProperty("sync").GetProperty("drift");
        var firstDifference = listed < firstRun ? (At: listed, Expected: (Instant?)null) : (At: firstRun, Expected: firstRun);
        Assert.Equal(10, listed.InZone(DateTimeZoneProviders.Tzdb["America/New_York"]).Hour);
        Assert.Equal(firstDifference.At, Instant.FromDateTimeOffset(drift.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal(firstDifference.Expected, drift.GetProperty("expected").ValueKind == JsonValueKind.Null ? (Instant?)null : Instant.FromDateTimeOffset(drift.GetProperty("expected").GetDateTimeOffset()));
        Assert.Equal(listed, Instant.FromDateTimeOffset(drift.GetProperty("listed").GetDateTimeOffset()));
        Assert.True(firstRun > now);
        Assert.Equal(Json(written), Json(repaired));
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("sync").GetProperty("drift").ValueKind);
    }

    [Fact]
    public async Task NewTzdb_LoadedFromConfiguration_RecompilesTheZonesItChanges_AndThePreviewFollows()
    {
        var older = Path.Combine(AppContext.BaseDirectory, "TimeZones", "tzdb-2025b.nzd");
        await using var world = await EndToEndWorld.StartAsync(
            temporal, postgres, settings: new Dictionary<string, string?>(ManualReconcile) { ["Recaps:TimeZones:DataFile"] = older });
        using var alice = world.Api.As("alice");
        await world.Api.ChannelAsync("dev", "alice");
        var vancouver = await EndToEndWorld.CreateSyncedAsync(alice, ScheduleBodies.Weekdays("dev").With("timeZone", "America/Vancouver"));
        var tokyo = await EndToEndWorld.CreateSyncedAsync(alice, ScheduleBodies.Weekdays("dev").With("timeZone", "Asia/Tokyo"));
        var now = SystemClock.Instance.GetCurrentInstant();
        var week = new Interval(now, now + Duration.FromDays(7));
        var vancouverId = TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(vancouver));
        var before = await TemporalScheduleGateway.MatchingTimesAsync(world.Temporal, vancouverId, week, ApiCalls.Cancel);
        var previewBefore = await PreviewAsync(alice, "America/Vancouver");
        var tokyoBefore = await world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(tokyo))).DescribeAsync();

        // The operator points the deployment at the tzdb NodaTime ships (2026f) and restarts it.
        await world.StopWorkerAsync();
        await world.StartWorkerAsync(services => services.AddSingleton(TimeZoneData.BuiltIn));
        await using var restartedApi = ApiHost.OnSystemClock(
            world.WorkerSettings["ConnectionStrings:Recaps"]!, [.. world.WorkerSettings.Where(s => s.Key != "Recaps:TimeZones:DataFile").Select(s => (s.Key, s.Value))]);
        using var aliceAfter = restartedApi.As("alice");
        Assert.True(await world.ReconcileOnceAsync());
        await Eventually.UntilAsync(
            $"{vancouverId} to be recompiled with {TimeZoneData.BuiltIn.Version}", () => aliceAfter.GetJsonAsync($"/v1/schedules/{vancouver}"),
            s => s.GetProperty("sync").Text("state") == "synced" && s.GetProperty("sync").Text("tzdb") == TimeZoneData.BuiltIn.Version);
        var after = await TemporalScheduleGateway.MatchingTimesAsync(world.Temporal, vancouverId, week, ApiCalls.Cancel);
        var tokyoAfter = await world.Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(tokyo))).DescribeAsync();

        // 2025b: 09:00 PST is 17:00Z; 2026f keeps Vancouver on daylight time, so 16:00Z.
        Assert.All(before, t => Assert.Equal(17, t.InUtc().Hour));
        Assert.All(previewBefore, t => Assert.Equal(17, t.InUtc().Hour));
        AssertFiresThePreview(Preview("America/Vancouver", week), after);
        Assert.All(after, t => Assert.Equal(16, t.InUtc().Hour));
        Assert.Equal(Preview("America/Vancouver", new Interval(now, now + Duration.FromDays(30))).Take(5), await PreviewAsync(aliceAfter, "America/Vancouver"));
        // Tokyo's rules are the same in both: its spec was not written again, only restamped.
        Assert.Equal(tokyoBefore.Info.LastUpdatedAt, tokyoAfter.Info.LastUpdatedAt);
        Assert.Equal(TimeZoneData.BuiltIn.Version, (await aliceAfter.GetJsonAsync($"/v1/schedules/{tokyo}")).GetProperty("sync").Text("tzdb"));
        Assert.Equal("2025b", (await alice.GetJsonAsync("/health/ready")).Text("tzdb"));
        Assert.Equal(TimeZoneData.BuiltIn.Version, (await aliceAfter.GetJsonAsync("/health/ready")).Text("tzdb"));
    }

    /// <summary>The server fires each of the preview's instants once, each within the jitter.</summary>
    private static void AssertFiresThePreview(List<Instant> preview, IReadOnlyList<Instant> listed)
    {
        Assert.NotEmpty(preview);
        Assert.Equal(preview.Count, listed.Count);
        Assert.All(preview.Zip(listed), pair => Assert.InRange(pair.Second - pair.First, Duration.Zero, Jitter));
    }

    /// <summary>The built-in tzdb's occurrences of weekdays 09:00 in <paramref name="zoneId"/> in <paramref name="range"/>.</summary>
    private static List<Instant> Preview(string zoneId, Interval range)
    {
        var recurrence = new Recurrence(
            WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday),
            new LocalTime(9, 0), TimeZoneData.BuiltIn.Zones[zoneId], Recurring: true, range.Start);
        return [.. RecurrenceEngine.Next(recurrence, range.Start, 400).Select(o => o.At).TakeWhile(at => at <= range.End)];
    }

    /// <summary>What <c>POST /v1/schedules/preview</c> shows for weekdays 09:00 in the zone.</summary>
    private static async Task<List<Instant>> PreviewAsync(HttpClient user, string zoneId)
    {
        var response = await user.PostAtAsync("/v1/schedules/preview", ScheduleBodies.Weekdays("dev").With("timeZone", zoneId));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ApiCalls.Cancel));
        return [.. json.RootElement.GetProperty("nextRuns").EnumerateArray().Select(r => Instant.FromDateTimeOffset(r.GetProperty("at").GetDateTimeOffset()))];
    }

    private static string Json(Schedule schedule) => JsonSerializer.Serialize(TemporalScheduleView.From("", schedule));
}
