using Npgsql;
using Recaps.ServiceDefaults;

/// <summary>
/// <c>Recaps.Worker migrate</c>: applies pending database migrations with the worker's configuration
/// (<c>ConnectionStrings:RecapsMigrations</c>, else <c>ConnectionStrings:Recaps</c>), then exits. A
/// deployment runs it once as the schema owner before the API and workers start, so those can
/// connect as a role that only reads and writes rows (compose's <c>recaps-migrate</c>).
/// </summary>
internal static class MigrateCommand
{
    public const string Name = "migrate";

    /// <param name="services">The worker's services, not started.</param>
    public static async Task<int> RunAsync(IServiceProvider services)
    {
        try
        {
            var applied = await DatabaseMigrator.ApplyAsync(services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<IConfiguration>());
            Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied migrations {string.Join(", ", applied)}.");
            return 0;
        }
        catch (NpgsqlException error)
        {
            await Console.Error.WriteLineAsync($"Recaps.Worker migrate failed: {error.Message}");
            return 1;
        }
    }
}
