using Recaps.DevTools;
using Temporalio.Testing;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// The Temporal server one end-to-end collection shares; each test brings its own database and task
/// queue. A CLI that is there but cannot start the dev server fails every test of the collection.
/// </summary>
public sealed class TemporalServerFixture : IAsyncLifetime
{
    /// <summary>A first download is about 50 MB; a network that cannot reach it usually fails at once.</summary>
    private static readonly TimeSpan DownloadLimit = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long a dev server may take to answer once launched: the SDK's default (5 s) was missed on
    /// this loaded 2-core machine while two collections started theirs at once.
    /// </summary>
    public static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(30);

    private WorkflowEnvironment? _devServer;

    private RunningServer? _server;

    private string? _skipReason;

    public async ValueTask InitializeAsync()
    {
        // A RECAPS_TEMPORAL_CLI naming a missing file throws here: a typo must not turn into a silent skip.
        var source = TemporalServerSource.Choose(
            Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS"), Environment.GetEnvironmentVariable("TEMPORAL_NAMESPACE"), TemporalCli.Find());
        switch (source)
        {
            case RunningServer running:
                _server = running;
                break;
            case DevServer devServer:
                _server = await StartDevServerAsync(devServer.Cli);
                break;
            default:
                try
                {
                    _server = await StartDevServerAsync(cli: null).WaitAsync(DownloadLimit);
                }
                catch (Exception error)
                {
                    _skipReason = $"{TemporalServerSource.NoServerReason}; the dev server the Temporal SDK downloads did not start either: {error.Message}";
                }

                break;
        }
    }

    /// <summary>The server to test against; reports the test Skipped, with the fixes, when there is none.</summary>
    public RunningServer Require()
    {
        if (_skipReason is not null)
        {
            Assert.Skip(_skipReason);
        }

        return _server!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_devServer is not null)
        {
            await _devServer.DisposeAsync();
        }
    }

    /// <param name="cli">The CLI to run; null to let the SDK download one (then the operator's calls go through the SDK).</param>
    private async Task<RunningServer> StartDevServerAsync(string? cli)
    {
        _devServer = await WorkflowEnvironment.StartLocalAsync(new()
        {
            Namespace = TemporalServerSource.DefaultNamespace,
            DownloadDirectory = Path.Combine(Path.GetTempPath(), "recaps-temporal-cli"),
            DevServerOptions = new() { ExistingPath = cli, LogLevel = "warn", StartupTimeout = StartupLimit },
        });
        return new(_devServer.Client.Connection.Options.TargetHost!, TemporalServerSource.DefaultNamespace, cli);
    }
}

/// <summary>The end-to-end tests share one server and run one at a time, so none starves another's worker.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndGroup : ICollectionFixture<TemporalServerFixture>
{
    public const string Name = "End to end";
}
