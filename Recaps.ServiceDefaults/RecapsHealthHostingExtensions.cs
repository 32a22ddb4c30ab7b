using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Recaps.ServiceDefaults;

public static class RecapsHealthHostingExtensions
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs; <c>/health/live</c> runs none.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Readiness of either host: PostgreSQL answers (the worker adds Temporal in <see cref="RecapsHostingExtensions.AddRecapsWorker"/>).</summary>
    public static IHealthChecksBuilder AddRecapsHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);

    /// <summary>
    /// The worker's operational endpoints: <c>/health/live</c> and <c>/health/ready</c> (200 / 503);
    /// <c>/metrics</c> is on the management port (<see cref="ManagementPort"/>). The API maps its own
    /// health endpoints, described in its OpenAPI document.
    /// </summary>
    public static IEndpointRouteBuilder MapRecapsWorkerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
