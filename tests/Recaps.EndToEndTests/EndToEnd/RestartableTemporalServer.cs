using Recaps.Testing;
using Temporalio.Testing;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// A Temporal dev server of one test's own, which the test stops and starts again on the same port
/// and database file (<c>--db-filename</c>): what the server held before the stop is there after
/// the start, as across a real server's restart, and clients reconnect to the same address.
/// </summary>
internal sealed class RestartableTemporalServer : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recaps-temporal-restart-").FullName;

    private readonly int _port = LocalPorts.Free();

    private readonly string? _cli;

    private WorkflowEnvironment? _running;

    private RestartableTemporalServer(string? cli) => _cli = cli;

    public RunningServer Server => new($"127.0.0.1:{_port}", TemporalServerSource.DefaultNamespace, _cli);

    /// <param name="cli">The temporal CLI that runs it; null to let the SDK download one.</param>
    public static async Task<RestartableTemporalServer> StartAsync(string? cli)
    {
        var server = new RestartableTemporalServer(cli);
        try
        {
            await server.StartAsync();
        }
        catch
        {
            // Nobody else holds it to dispose it: its folder would be left behind.
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>.</summary>
    public async Task StartAsync() => _running = await WorkflowEnvironment.StartLocalAsync(new()
    {
        TargetHost = Server.Address,
        Namespace = Server.Namespace,
        DownloadDirectory = Path.Combine(Path.GetTempPath(), "recaps-temporal-cli"),
        DevServerOptions = new()
        {
            ExistingPath = _cli,
            LogLevel = "warn",
            DatabaseFilename = Path.Combine(_folder, "temporal.db"),
            StartupTimeout = TemporalServerFixture.StartupLimit,
        },
    });

    public async Task StopAsync()
    {
        await _running!.ShutdownAsync();
        _running = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_running is not null)
        {
            await StopAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
