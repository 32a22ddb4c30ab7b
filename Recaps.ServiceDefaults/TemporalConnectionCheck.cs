using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Recaps.Workflows.Configuration;
using Temporalio.Client;

namespace Recaps.ServiceDefaults;

/// <summary>
/// Connects to Temporal before the worker starts, so an unreachable server stops start-up with an
/// error naming the address (the worker service itself would only log it and let the process exit 0).
/// </summary>
internal sealed class TemporalConnectionCheck(ITemporalClient client, IOptions<TemporalOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.Connection.ConnectAsync();
        }
        catch (InvalidOperationException error)
        {
            throw new DependencyUnavailableException(
                $"Temporal at {options.Value.Address} (Temporal:Address) is unreachable: {error.Message}", error);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
