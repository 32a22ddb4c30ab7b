using System.Net;
using Recaps.Testing;

namespace Recaps.Tests.Api;

/// <summary>
/// PostgreSQL restarted under a running API: the pool still holds connections to the old server.
/// Once the server is back, no request may fail because of them.
/// </summary>
public sealed class DatabaseRestartApiTests(OwnCluster cluster) : IClassFixture<OwnCluster>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("fast")]
    [InlineData("immediate")]
    public async Task DatabaseRestarted_EveryRequestAfterwardsSucceedsAndWritesOnce(string shutdown)
    {
        var server = cluster.Server;
        Assert.SkipUnless(server.OwnsCluster, $"{ThrowawayPostgres.ExternalDatabaseVariable} points at a server this test must not restart.");
        await using var api = ApiHost.On(await server.CreateDatabaseAsync());
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();
        // Several pooled connections, each to the server about to go away.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => alice.GetJsonAsync("/v1/schedules")));

        await server.StopAsync(shutdown);
        await server.StartServerAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            // A create without an Idempotency-Key first: the one request that may only run again when it provably never ran.
            statuses.Add((await alice.PostAtAsync("/v1/schedules", ScheduleBodies.Weekdays())).StatusCode);
            statuses.Add((await alice.PostAtAsync($"/v1/schedules/{created.Id()}/run")).StatusCode);
            statuses.Add((await alice.GetAtAsync($"/v1/schedules/{created.Id()}")).StatusCode);
            api.Clock.Advance(NodaTime.Duration.FromHours(1));
        }

        Assert.Equal(
            [.. Enumerable.Repeat<HttpStatusCode[]>([HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.OK], 3).SelectMany(s => s)],
            statuses);
        Assert.Equal(4, await api.CountAsync("schedules"));
        Assert.Equal(3, await api.CountAsync("schedule_runs"));
    }
}
