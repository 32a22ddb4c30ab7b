using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recaps.Workflows.Telemetry;

namespace Recaps.Tests.Api;

public class MetricsApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Metrics_Anonymous_AnswersInPrometheusTextWithRecapsAndRuntimeMetrics()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var client = api.Anonymous();
        // What a worker hosted in the same process records (embedded mode) shows up in the API's scrape.
        api.Services.GetRequiredService<RecapsMetrics>().RecapCompleted(Duration.FromSeconds(42));
        await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE recaps_recaps_completed_total counter", body, StringComparison.Ordinal);
        Assert.Contains("recaps_delivery_delay_seconds_sum", body, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", body, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", body, StringComparison.Ordinal);
    }
}
