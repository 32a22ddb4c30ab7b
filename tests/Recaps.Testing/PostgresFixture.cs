using Npgsql;
using Recaps.Testing;
using Recaps.Workflows.Storage;

namespace Recaps.Tests;

/// <summary>
/// One throwaway PostgreSQL cluster for a whole test assembly (each tier that uses it declares it its assembly
/// fixture); each test asks for its own database.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private ThrowawayPostgres? _postgres;

    public ThrowawayPostgres Server => _postgres ?? throw new InvalidOperationException("PostgreSQL has not started.");

    public async ValueTask InitializeAsync() => _postgres = await ThrowawayPostgres.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>A fresh migrated database with a NodaTime-mapped data source.</summary>
    public async Task<NpgsqlDataSource> NewDatabaseAsync() => RecapsDataSource.Create(await Server.CreateDatabaseAsync());
}
