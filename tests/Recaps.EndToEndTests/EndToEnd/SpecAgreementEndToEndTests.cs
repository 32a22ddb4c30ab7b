using System.Diagnostics;
using NodaTime;
using Recaps.DevTools;
using Recaps.Tests.Api;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Sync;
using Temporalio.Client;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// The real server is the judge of compiled specs: in every zone that changes offset in the next ten
/// years, around every change, the times it lists for a schedule are exactly the preview's occurrences,
/// on a server with the system's tz data and on one with wrong rules for some zones.
/// </summary>
[Collection(SpecAgreementGroup.Name)]
public class SpecAgreementEndToEndTests(TemporalServerFixture temporal)
{
    /// <summary>The faked zones, and zones with a 30-minute DST, a skipped midnight, an odd offset and EU rules.</summary>
    private static readonly string[] WrongRulesServerZones =
        [.. FakeZoneinfo.Rules.Keys, "Australia/Lord_Howe", "America/Santiago", "America/Havana", "Asia/Kathmandu", "Europe/Berlin"];

    [Fact]
    public async Task EveryZoneChangingOffset_AroundEveryChange_ServerListsExactlyThePreviewsOccurrences()
    {
        var server = temporal.Require();
        var clock = Stopwatch.StartNew();
        var now = SystemClock.Instance.GetCurrentInstant();
        var client = await server.ConnectAsync();

        var run = await SpecAgreement.CheckAsync(client, AgreementCases.AllZones(now, SpecAgreement.Options.SpecHorizonYears), now, ApiCalls.Cancel);

        TestContext.Current.TestOutputHelper?.WriteLine($"system tz data: {run}; {clock.Elapsed.TotalSeconds:0.0} s in all");
        Assert.True(run.Tally.Mismatches == 0, run.ToString());
        Assert.True(run.Tally.Expected > 0, run.ToString());
    }

    [Fact]
    public async Task ServerWithWrongZoneRules_FakedZonesAndOthers_ServerStillListsExactlyThePreviewsOccurrences()
    {
        if (TemporalCli.Find() is not { } cli)
        {
            Assert.Skip($"{TemporalServerSource.NoServerReason}: this test starts a dev server of its own with ZONEINFO set.");
            return;
        }

        var clock = Stopwatch.StartNew();
        var now = SystemClock.Instance.GetCurrentInstant();
        var (server, client) = await ZoneinfoDevServer.StartAsync(cli, FakeZoneinfo.WriteZip, ApiCalls.Cancel);
        await using (server)
        {
            var started = clock.Elapsed;
            await AssertWallClockScheduleFollowsTheFakeRulesAsync(client, now);

            var run = await SpecAgreement.CheckAsync(client, AgreementCases.Of(WrongRulesServerZones, now, SpecAgreement.Options.SpecHorizonYears), now, ApiCalls.Cancel);

            TestContext.Current.TestOutputHelper?.WriteLine(
                $"wrong tz data for {string.Join(", ", FakeZoneinfo.Rules.Keys)}: server started in {started.TotalSeconds:0.0} s; {run}; {clock.Elapsed.TotalSeconds:0.0} s in all");
            Assert.True(run.Tally.Mismatches == 0, run.ToString());
            Assert.True(run.Tally.Expected > 0, run.ToString());
        }
    }

    /// <summary>
    /// The control: 09:00 every day read in America/New_York by the server itself lists 09:00 at the
    /// fake offset, in winter and in summer, not at New York's real offsets.
    /// </summary>
    private static async Task AssertWallClockScheduleFollowsTheFakeRulesAsync(ITemporalClient client, Instant now)
    {
        const string zone = "America/New_York";
        var id = $"spec-agreement-control-{Guid.NewGuid():N}";
        var handle = await client.CreateScheduleAsync(
            id,
            new Schedule(
                ScheduleActionStartWorkflow.Create("Unused", [], new(id, $"{id}-unused")),
                new ScheduleSpec { Calendars = [new ScheduleCalendarSpec { Hour = [new(9)] }], TimeZoneName = zone })
            {
                State = new ScheduleState { Paused = true },
            });
        try
        {
            var year = now.InUtc().Year + 1;
            foreach (var month in (int[])[1, 7])
            {
                // From noon to noon UTC: on no time either offset gives 09:00 (the server's end is inclusive).
                var week = new Interval(Instant.FromUtc(year, month, 10, 12, 0), Instant.FromUtc(year, month, 17, 12, 0));
                var listed = await TemporalScheduleGateway.MatchingTimesAsync(client, id, week, ApiCalls.Cancel);
                var fake = AgreementTally.Occurrences(Daily0900(DateTimeZone.ForOffset(FakeZoneinfo.Rules[zone])), week).Select(o => o.At);
                var real = AgreementTally.Occurrences(Daily0900(DateTimeZoneProviders.Tzdb[zone]), week).Select(o => o.At);
                Assert.Equal(fake, listed);
                Assert.NotEqual(real, listed);
            }
        }
        finally
        {
            await handle.DeleteAsync();
        }
    }

    private static Recurrence Daily0900(DateTimeZone zone) => new(AgreementCase.Daily, new LocalTime(9, 0), zone, Recurring: true, Instant.MinValue);
}

/// <summary>The agreement tests: servers of their own, so their thousands of calls slow no other end-to-end test's.</summary>
[CollectionDefinition(Name)]
public sealed class SpecAgreementGroup : ICollectionFixture<TemporalServerFixture>
{
    public const string Name = "End to end: spec agreement";
}
