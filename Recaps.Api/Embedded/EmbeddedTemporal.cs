using System.Net;
using System.Net.Sockets;
using Recaps.DevTools;
using Recaps.ServiceDefaults;
using Temporalio.Testing;

namespace Recaps.Api.Embedded;

/// <summary>
/// The Temporal dev server of embedded mode, with its Web UI and a database file in the data
/// folder (so schedules and history survive restarts): run by the <c>temporal</c> CLI found by
/// <see cref="TemporalCli"/>, else by the CLI the SDK downloads into the data folder on first use.
/// </summary>
public sealed class EmbeddedTemporal : IAsyncDisposable
{
    /// <summary>A first download is about 50 MB; a network that cannot reach it usually fails at once.</summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);

    private const string Fixes = """
        Fix one of:
          - point Recaps at a running server: Temporal__Address=host:7233
          - install the temporal CLI (https://docs.temporal.io/cli) and put it on PATH, or set RECAPS_TEMPORAL_CLI to its path
          - start the compose server: docker compose -f docker-compose.temporal.yml -f compose/operator.yml up -d temporal temporal-ui
            and set Temporal__Address=localhost:7233 Temporal__UiUrl=http://localhost:8080
        """;

    private readonly WorkflowEnvironment _server;

    private EmbeddedTemporal(WorkflowEnvironment server, string address, Uri uiUrl, string source)
    {
        _server = server;
        Address = address;
        UiUrl = uiUrl;
        Source = source;
    }

    public string Address { get; }

    public Uri UiUrl { get; }

    /// <summary>What runs the server: the CLI's path, or the SDK's download.</summary>
    public string Source { get; }

    /// <summary>The CLI <see cref="TemporalCli"/> finds; null when the SDK is to download one.</summary>
    /// <exception cref="DependencyUnavailableException"><c>RECAPS_TEMPORAL_CLI</c> names a missing file.</exception>
    public static string? FindCli()
    {
        try
        {
            return TemporalCli.Find();
        }
        catch (FileNotFoundException error)
        {
            throw new DependencyUnavailableException($"Temporal: {error.Message}\n{Fixes}", error);
        }
    }

    /// <param name="options">The ports.</param>
    /// <param name="cli">The CLI that runs the server (<see cref="FindCli"/>); null to let the SDK download one.</param>
    /// <param name="folder">Where the database file, and a downloaded CLI, are kept.</param>
    /// <param name="temporalNamespace">The namespace to create.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static async Task<EmbeddedTemporal> StartAsync(
        EmbeddedOptions options, string? cli, string folder, string temporalNamespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        RequireFreePort(options.TemporalPort, nameof(EmbeddedOptions.TemporalPort), options);
        RequireFreePort(options.TemporalUiPort, nameof(EmbeddedOptions.TemporalUiPort), options);
        Directory.CreateDirectory(folder);
        var source = cli ?? $"the Temporal CLI the SDK downloads into {Path.Combine(folder, "temporal-cli")}";
        var starting = WorkflowEnvironment.StartLocalAsync(new WorkflowEnvironmentStartLocalOptions
        {
            TargetHost = $"127.0.0.1:{options.TemporalPort}",
            Namespace = temporalNamespace,
            UI = true,
            UIPort = options.TemporalUiPort,
            DownloadDirectory = Path.Combine(folder, "temporal-cli"),
            DevServerOptions = new DevServerOptions
            {
                ExistingPath = cli,
                DatabaseFilename = Path.Combine(folder, "temporal.db"),
            },
        });
        try
        {
            var server = await starting.WaitAsync(StartLimit, cancellationToken);
            return new EmbeddedTemporal(
                server, server.Client.Connection.Options.TargetHost!, new Uri($"http://localhost:{options.TemporalUiPort}"), source);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A start given up on may still finish: shut that server down rather than leave it holding the ports.
            _ = starting.ContinueWith(started => started.Result.ShutdownAsync(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw new DependencyUnavailableException(
                $"Temporal: Temporal:Address is not set, and the dev server could not start from {source}: {error.Message}\n{Fixes}", error);
        }
    }

    public async ValueTask DisposeAsync() => await _server.ShutdownAsync();

    /// <summary>
    /// A busy port would fail inside the dev server with a message that hides which setting to change.
    /// Most often it is a dev server left from an earlier run, which can simply be used.
    /// </summary>
    private static void RequireFreePort(int port, string setting, EmbeddedOptions options)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException error)
        {
            throw new DependencyUnavailableException(
                $"Temporal: port {port} ({EmbeddedOptions.Section}:{setting}) is in use ({error.SocketErrorCode}).\n"
                + "Fix one of:\n"
                + $"  - if it is a Temporal dev server, use it: Temporal__Address=localhost:{options.TemporalPort} Temporal__UiUrl=http://localhost:{options.TemporalUiPort}\n"
                + $"  - stop what holds the port, or choose another: Recaps__Embedded__{setting}=<port>",
                error);
        }
        finally
        {
            listener.Stop();
        }
    }
}
