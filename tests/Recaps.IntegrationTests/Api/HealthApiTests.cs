using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Recaps.Testing;

namespace Recaps.Tests.Api;

public class HealthApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Health_WithDatabase_IsLiveAndReady()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var client = api.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Health_DatabaseGone_IsLiveButNotReady()
    {
        await using var server = await ThrowawayPostgres.StartAsync();
        Assert.SkipUnless(server.OwnsCluster, $"{ThrowawayPostgres.ExternalDatabaseVariable} points at a server this test must not stop.");
        await using var api = ApiHost.On(await server.CreateDatabaseAsync());
        using var client = api.Anonymous();
        await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        await server.StopAsync();
        var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        await server.StartServerAsync();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task Call_DatabaseGone_Is503WithRetryAfterAndStoresNothing()
    {
        await using var server = await ThrowawayPostgres.StartAsync();
        Assert.SkipUnless(server.OwnsCluster, $"{ThrowawayPostgres.ExternalDatabaseVariable} points at a server this test must not stop.");
        await using var api = ApiHost.On(await server.CreateDatabaseAsync());
        using var alice = api.As("alice");
        await alice.GetAsync(new Uri("/v1/schedules", UriKind.Relative), TestContext.Current.CancellationToken);

        await server.StopAsync();
        var create = await alice.PostAsJsonAsync(new Uri("/v1/schedules", UriKind.Relative), ScheduleBodies.Weekdays(), TestContext.Current.CancellationToken);
        var problem = await create.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        await server.StartServerAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        Assert.Equal("5", create.Headers.RetryAfter?.ToString());
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal(0, await api.CountAsync("schedules"));
    }

    [Fact]
    public async Task OpenApiDocument_IsServedWithABrowsableUiBesideIt()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var client = api.Anonymous();

        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        var ui = await client.GetAsync(new Uri("/docs", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("\"openapi\"", document, StringComparison.Ordinal);
        Assert.Contains("/health/ready", document, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
    }
}
