using Microsoft.Extensions.Diagnostics.HealthChecks;
using Temporalio.Client;

namespace Recaps.ServiceDefaults;

/// <summary>The worker polls Temporal for its tasks: it is ready only while the server answers.</summary>
internal sealed class TemporalHealthCheck(ITemporalClient client) : IHealthCheck
{
    // An unreachable server throws; the health check service reports that as unhealthy, with the error.
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await client.Connection.CheckHealthAsync(options: new RpcOptions { CancellationToken = cancellationToken })
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Temporal reports itself unhealthy.");
}
