using Recaps.Testing;

namespace Recaps.Tests;

/// <summary>
/// A PostgreSQL cluster for one test class alone, for tests that stop and restart it or add roles
/// to it, which the run's shared cluster (<see cref="PostgresFixture"/>) must not see.
/// </summary>
public sealed class OwnCluster : IAsyncLifetime
{
    private ThrowawayPostgres? _server;

    public ThrowawayPostgres Server => _server ?? throw new InvalidOperationException("PostgreSQL has not started.");

    public async ValueTask InitializeAsync() => _server = await ThrowawayPostgres.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
