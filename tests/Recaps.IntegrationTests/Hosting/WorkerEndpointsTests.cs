using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Recaps.ServiceDefaults;
using Recaps.Testing;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Telemetry;

namespace Recaps.Tests.Hosting;

public class WorkerEndpointsTests(PostgresFixture postgres)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkerEndpoints_WithDatabase_AreLiveAndReady_AndServeRecapsMetricsOnlyOnTheManagementPort()
    {
        // The worker's HTTP side as Recaps.Worker wires it, without the Temporal worker (no server here).
        var management = LocalPorts.FreeUrl();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Recaps"] = await postgres.Server.CreateDatabaseAsync(),
            ["urls"] = "http://127.0.0.1:0",
            [ManagementPort.UrlSetting] = management,
        });
        builder.AddRecapsManagementPort("http://127.0.0.1:9464", "http://+:8081");
        builder.AddRecapsCore();
        builder.AddRecapsTelemetry();
        builder.Services.AddRecapsHealthChecks();
        await using var app = builder.Build();
        app.UseRecapsManagementPort();
        app.MapRecapsWorkerEndpoints();
        await app.StartAsync(Token);
        using var probe = new HttpClient { BaseAddress = new Uri(app.Urls.Single(url => url != management)) };
        using var scraper = new HttpClient { BaseAddress = new Uri(management) };
        app.Services.GetRequiredService<RecapsMetrics>().RecapFailed();

        var live = await probe.GetAsync(new Uri("/health/live", UriKind.Relative), Token);
        var ready = await probe.GetAsync(new Uri("/health/ready", UriKind.Relative), Token);
        var metrics = await scraper.GetStringAsync(new Uri("/metrics", UriKind.Relative), Token);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("recaps_recaps_failed_total", metrics, StringComparison.Ordinal);
        Assert.Contains("recaps_sync_pending", metrics, StringComparison.Ordinal);
        // The tzdb in use, as a label: which rules every process reads shows on one dashboard.
        Assert.Matches($"recaps_tzdb[a-z_]*\\{{[^}}]*version=\"{TimeZoneData.BuiltIn.Version}\"[^}}]*\\}} 1", metrics);
        Assert.Equal(HttpStatusCode.NotFound, (await probe.GetAsync(new Uri("/metrics", UriKind.Relative), Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync(new Uri("/health/ready", UriKind.Relative), Token)).StatusCode);
        await app.StopAsync(Token);
    }

    [Fact]
    public async Task WorkerReadiness_TemporalUnreachable_IsUnhealthy()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Recaps"] = await postgres.Server.CreateDatabaseAsync(),
            ["Temporal:Address"] = "127.0.0.1:1",
        });
        builder.AddRecapsCore();
        builder.AddRecapsWorker();
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(
            check => check.Tags.Contains(RecapsHealthHostingExtensions.ReadyTag), Token);

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["temporal"].Status);
    }
}
