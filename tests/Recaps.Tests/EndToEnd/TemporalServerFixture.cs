using System.Diagnostics;
using Recaps.Workflows.Temporal;
using Temporalio.Testing;

namespace Recaps.Tests.EndToEnd;

/// <summary>The Temporal server the end-to-end tests share; each test brings its own database and task queue.</summary>
public sealed class TemporalServerFixture : IAsyncLifetime
{
    private WorkflowEnvironment? _devServer;

    private TemporalServerSource _source = new NoServer(TemporalServerSource.NoServerReason);

    public async ValueTask InitializeAsync()
    {
        // A RECAPS_TEMPORAL_CLI naming a missing file throws here: a typo must not turn into a silent skip.
        _source = TemporalServerSource.Choose(
            Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS"), Environment.GetEnvironmentVariable("TEMPORAL_NAMESPACE"), TemporalCli.Find());
        if (_source is DevServer devServer)
        {
            _devServer = await WorkflowEnvironment.StartLocalAsync(new()
            {
                Namespace = TemporalServerSource.DefaultNamespace,
                DevServerOptions = new() { ExistingPath = devServer.Cli },
            });
        }
    }

    /// <summary>The server to test against; reports the test Skipped, with the fixes, when there is none.</summary>
    public RunningServer Require()
    {
        if (_source is NoServer none)
        {
            Assert.Skip(none.Reason);
        }

        return _source switch
        {
            RunningServer running => running,
            DevServer devServer => new(_devServer!.Client.Connection.Options.TargetHost!, TemporalServerSource.DefaultNamespace, devServer.Cli),
            _ => throw new UnreachableException($"{_source} has no server."),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_devServer is not null)
        {
            await _devServer.DisposeAsync();
        }
    }
}

/// <summary>The end-to-end tests share one server and run one at a time, so none starves another's worker.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndGroup : ICollectionFixture<TemporalServerFixture>
{
    public const string Name = "End to end";
}
