using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Recaps.Workflows.Telemetry;

namespace Recaps.ServiceDefaults;

public static class RecapsTelemetryHostingExtensions
{
    /// <summary>The standard OpenTelemetry variable; set, it turns the OTLP export of metrics and traces on.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// OpenTelemetry for either host: the Recaps and Temporal SDK meters, ASP.NET Core, the runtime and Npgsql, scraped
    /// at <c>/metrics</c> on the host's management port (<see cref="ManagementPort"/>); traces of
    /// requests and SQL, and an OTLP export of everything, when <see cref="OtlpEndpointSetting"/> is set.
    /// </summary>
    public static IHostApplicationBuilder AddRecapsTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(RecapsMetrics.MeterName, TemporalSdkMeter.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());

        // Spans nobody exports are pure cost on every request and query: trace only for a collector.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]))
        {
            telemetry
                .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddNpgsql())
                .UseOtlpExporter();
        }

        return builder;
    }
}
