using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Recaps.ServiceDefaults;

namespace Recaps.Benchmarks.Load;

/// <summary>The host of Recaps.Worker, built the same way, less the one part that needs a Temporal server.</summary>
internal static class WorkerHost
{
    /// <param name="settings">Configuration on top of the environment's; null reads only what a deployed worker reads.</param>
    public static IHost Build(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder([]);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddRecapsCore();
        builder.AddRecapsWorker();

        // AddHostedTemporalWorker registers the polling worker as the one factory-made hosted
        // service; it would connect to a server at start-up, and none runs here. Its client (lazy)
        // and the scoped activities stay registered.
        var pollers = builder.Services.Where(s => s.ServiceType == typeof(IHostedService) && s.ImplementationFactory is not null).ToList();
        if (pollers.Count != 1)
        {
            throw new InvalidOperationException($"Expected one hosted Temporal worker registration, found {pollers.Count}.");
        }

        builder.Services.Remove(pollers[0]);

        // Likewise the start-up check that dials Temporal.
        builder.Services.Remove(builder.Services.Single(s => s.ImplementationType == typeof(TemporalConnectionCheck)));
        return builder.Build();
    }

    public static Dictionary<string, string?> Settings(string connectionString) => new(StringComparer.Ordinal)
    {
        [$"ConnectionStrings:{RecapsHostingExtensions.ConnectionStringName}"] = connectionString,
        ["Temporal:Address"] = LocalTemporalAddress,
    };

    /// <summary>The usual local address; nothing listens there, and the lazy client never dials it.</summary>
    public const string LocalTemporalAddress = "localhost:7233";
}
