using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recaps.ServiceDefaults;
using Recaps.Workflows.Domain;

namespace Recaps.Api.Health;

/// <summary>The state of a health probe and of each check that ran; readiness also names the tzdb release in use.</summary>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, string> Checks, string? Tzdb = null);

public static class HealthApi
{
    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: it can reach the database.
    /// Handlers rather than health-check middleware, so the OpenAPI document describes them.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", Live).WithSummary("The process is up.");
        health.MapGet("/ready", ReadyAsync)
            .WithSummary("The process can serve: PostgreSQL answers.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static Ok<HealthResponse> Live() => TypedResults.Ok(new HealthResponse(nameof(HealthStatus.Healthy), new Dictionary<string, string>()));

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> ReadyAsync(
        HealthCheckService checks, TimeZoneData zones, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(check => check.Tags.Contains(RecapsHealthHostingExtensions.ReadyTag), cancellationToken);
        var response = new HealthResponse(report.Status.ToString(), report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()), zones.Version);
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(response)
            : TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
