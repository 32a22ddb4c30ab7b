using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Recaps.Api.Health;

public static class HealthApi
{
    public const string ReadyTag = "ready";

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: it can reach the database.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
