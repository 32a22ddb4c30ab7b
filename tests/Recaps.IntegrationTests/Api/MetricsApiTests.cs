using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Recaps.Api.Hosting;
using Recaps.ServiceDefaults;
using Recaps.Testing;
using Recaps.Tests.Embedded;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Telemetry;

namespace Recaps.Tests.Api;

public class MetricsApiTests(PostgresFixture postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_OnTheApiPort_Is404EvenForAnAdmin()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var anonymous = api.Anonymous();
        using var admin = api.As(ApiHost.Admin, admin: true);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative), Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri("/metrics", UriKind.Relative), Cancel)).StatusCode);
    }

    [Fact]
    public async Task Metrics_OnTheManagementPort_AnswerInPrometheusTextWithRecapsAndRuntimeMetrics_AndNothingElse()
    {
        var management = LocalPorts.FreeUrl();
        var builder = EmbeddedHosts.Builder(Environments.Production, AppContext.BaseDirectory, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Recaps"] = await postgres.Server.CreateDatabaseAsync(),
            ["Auth:SigningKey"] = ApiHost.SigningKey,
            [ManagementPort.UrlSetting] = management,
        });
        await using var app = builder.Build();
        app.UseRecapsApi();
        await app.StartAsync(Cancel);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        using var api = new HttpClient { BaseAddress = new Uri(addresses.Single(address => address != management)) };
        using var scraper = new HttpClient { BaseAddress = new Uri(management) };
        // What a worker hosted in the same process records (embedded mode) shows up in the API's scrape.
        app.Services.GetRequiredService<RecapsMetrics>().RecapCompleted(Duration.FromSeconds(42));
        await api.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancel);

        var response = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE recaps_recaps_completed_total counter", body, StringComparison.Ordinal);
        Assert.Contains("recaps_delivery_delay_seconds_sum", body, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", body, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(new Uri("/metrics", UriKind.Relative), Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scraper.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel)).StatusCode);
        await app.StopAsync(Cancel);
    }

    [Fact]
    public void ManagementUrl_Unset_IsLoopback9465BesideTheApiAddresses()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["http_ports"] = "8080";

        builder.AddRecapsManagementPort("http://127.0.0.1:9465", "http://localhost:5000");

        Assert.Equal("http://*:8080;http://127.0.0.1:9465", builder.Configuration["urls"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0", "must be an http address with a port from 1 to 65535")]
    [InlineData("ftp://127.0.0.1:21", "must be an http address with a port from 1 to 65535")]
    [InlineData("127.0.0.1", "must be an address such as http://127.0.0.1:9464")]
    [InlineData("http://127.0.0.1:5000", "must use a port of its own")]
    public void ManagementUrl_Unusable_FailsNamingTheSetting(string url, string rule)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["urls"] = "http://localhost:5000";
        builder.Configuration[ManagementPort.UrlSetting] = url;

        var error = Assert.Throws<SettingException>(() => builder.AddRecapsManagementPort("http://127.0.0.1:9465", "http://localhost:5000"));

        Assert.StartsWith($"{ManagementPort.UrlSetting} ({url}) ", error.Message, StringComparison.Ordinal);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        Assert.True(StartupFailure.IsOperators(error));
    }
}
