using Npgsql;
using Recaps.Workflows.Storage;

namespace Recaps.Tests.Storage;

public class MigrationRunnerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ApplyAsync_OnMigratedDatabase_AppliesNothing()
    {
        await using var dataSource = await postgres.NewDatabaseAsync();

        var applied = await MigrationRunner.ApplyAsync(dataSource, TestContext.Current.CancellationToken);

        Assert.Empty(applied);
        Assert.Equal(MigrationRunner.All.Count, await CountAsync(dataSource, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task ApplyAsync_FromManyInstancesAtOnce_AppliesEachMigrationOnce()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await using var dataSource = RecapsDataSource.Create(connectionString);
        await using (var reset = dataSource.CreateCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        {
            await reset.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // Separate data sources stand for separate processes starting together.
        var instances = Enumerable.Range(0, 6).Select(_ => RecapsDataSource.Create(connectionString)).ToList();
        var results = await Task.WhenAll(instances.Select(i => MigrationRunner.ApplyAsync(i, TestContext.Current.CancellationToken)));
        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }

        Assert.Equal(MigrationRunner.All.Select(m => m.Version), results.SelectMany(r => r).Order());
        Assert.Equal(MigrationRunner.All.Count, await CountAsync(dataSource, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(1, await CountAsync(dataSource, "SELECT count(*) FROM pg_tables WHERE tablename = 'schedules'"));
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
