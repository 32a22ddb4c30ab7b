using Recaps.Workflows.Temporal;
using Temporalio.Client;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// Where the end-to-end tests find a Temporal server: a running one named by <c>TEMPORAL_ADDRESS</c>,
/// else a dev server started from the temporal CLI, else a dev server from the CLI the Temporal SDK
/// downloads (the tests report Skipped only when that download fails too).
/// </summary>
public abstract record TemporalServerSource
{
    public const string DefaultNamespace = "default";

    public const string NoServerReason =
        "No Temporal server: set TEMPORAL_ADDRESS to a running server, or put the temporal CLI on PATH (or point RECAPS_TEMPORAL_CLI at it)";

    /// <param name="address">TEMPORAL_ADDRESS; it wins, so a shared server is used even where a CLI is installed.</param>
    /// <param name="namespace">TEMPORAL_NAMESPACE, default <see cref="DefaultNamespace"/>.</param>
    /// <param name="cli">The temporal CLI found (RECAPS_TEMPORAL_CLI, else PATH), or null.</param>
    public static TemporalServerSource Choose(string? address, string? @namespace, string? cli) =>
        !string.IsNullOrWhiteSpace(address)
            ? new RunningServer(address, string.IsNullOrWhiteSpace(@namespace) ? DefaultNamespace : @namespace, cli)
            : cli is not null
                ? new DevServer(cli)
                : new DownloadedDevServer();
}

/// <summary>A server that is already running; the CLI, when there is one, plays the operator.</summary>
public sealed record RunningServer(string Address, string Namespace, string? Cli) : TemporalServerSource
{
    /// <summary>A client of the server's namespace, with Recaps' data converter.</summary>
    public async Task<ITemporalClient> ConnectAsync() =>
        await TemporalClient.ConnectAsync(new(Address) { Namespace = Namespace, DataConverter = RecapsDataConverter.Instance });
}

/// <summary><c>temporal server start-dev</c>, started from this CLI for the test run; a CLI that cannot start it fails the run.</summary>
public sealed record DevServer(string Cli) : TemporalServerSource;

/// <summary>Neither an address nor a CLI: the dev server the Temporal SDK downloads, as embedded mode does.</summary>
public sealed record DownloadedDevServer : TemporalServerSource;
