using System.Diagnostics;
using System.Net;
using Npgsql;
using Recaps.DevTools;
using Recaps.Testing;
using Recaps.Tests.Api;
using Recaps.Workflows.Storage;

namespace Recaps.Tests.Storage;

/// <summary>
/// The compose database's roles (compose/recaps-db/roles.psql, run by psql as the postgres image
/// runs it): the schema owner migrates, and the API on the app role works without any right to
/// change the schema. On a cluster of its own, as roles belong to the whole cluster.
/// </summary>
public sealed class LeastPrivilegeRoleTests(OwnCluster cluster) : IClassFixture<OwnCluster>
{
    private const string OwnerPassword = "owner-secret";
    private const string AppPassword = "app-secret";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppRole_RunsTheApiOnTheOwnersMigrations_AndCannotChangeTheSchema()
    {
        var server = cluster.Server;
        Assert.SkipUnless(server.OwnsCluster, $"{ThrowawayPostgres.ExternalDatabaseVariable} points at a server whose roles this test must not create.");
        var superuser = new NpgsqlConnectionStringBuilder(await server.CreateEmptyDatabaseAsync("recaps"));
        await RunRolesScriptAsync(superuser);
        var owner = new NpgsqlConnectionStringBuilder(superuser.ConnectionString) { Username = "recaps_owner", Password = OwnerPassword };
        var app = new NpgsqlConnectionStringBuilder(owner.ConnectionString) { Username = "recaps_app", Password = AppPassword };

        await using (var api = ApiHost.On(app.ConnectionString, ("ConnectionStrings:RecapsMigrations", owner.ConnectionString)))
        {
            using var alice = api.As("alice");
            var created = await alice.CreateScheduleAsync();
            Assert.Equal(HttpStatusCode.Accepted, (await alice.PostAtAsync($"/v1/schedules/{created.Id()}/run")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await alice.PostAtAsync($"/v1/schedules/{created.Id()}/pause")).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAtAsync($"/v1/schedules/{created.Id()}")).StatusCode);
        }

        // As compose runs it: migrated already, the API on the app role alone starts (nothing to apply, so no DDL).
        await using (var api = ApiHost.On(app.ConnectionString))
        {
            using var alice = api.As("alice");
            await alice.CreateScheduleAsync();
        }

        // A worker's whole run on the app role: claim, read posts, store the recap, mark it executed.
        await using (var world = RecapRuns.RecapWorld.On(RecapsDataSource.Create(app.ConnectionString)))
        {
            await world.Chat.UpsertChannelAsync("dev", "Dev", ["bob"]);
            var schedule = await world.Schedules.CreateAsync("bob", RecapRuns.RecapWorld.Daily(["dev"]));
            var nominal = RecapRuns.RecapWorld.Occurrences(schedule, 1)[0].At;
            await world.Chat.AddPostAsync("dev", "carol", "ship it", nominal - NodaTime.Duration.FromHours(1));
            var (_, recap) = await world.RunOccurrenceAsync(RecapRuns.RecapWorld.Scheduled(schedule, nominal));
            Assert.Equal(1, recap?.MessageCount);
        }

        await using var appSource = RecapsDataSource.Create(app.ConnectionString);
        Assert.Equal(MigrationRunner.All.Count, Convert.ToInt32(await Scalar(appSource, "SELECT count(*) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("recaps_owner", await Scalar(appSource, "SELECT tableowner FROM pg_tables WHERE tablename = 'schedules'"));
        foreach (var change in new[] { "CREATE TABLE intruder (id int)", "DROP TABLE schedules", "ALTER TABLE schedules ADD COLUMN intruder int", "TRUNCATE schedule_runs" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Scalar(appSource, change));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

    [Fact]
    public async Task MigrateCommand_OnAnEmptyDatabase_AppliesEveryMigrationAndExits()
    {
        var server = cluster.Server;
        Assert.SkipUnless(server.OwnsCluster, $"{ThrowawayPostgres.ExternalDatabaseVariable} points at a server whose databases this test must not create.");
        var database = await server.CreateEmptyDatabaseAsync("recaps_migrate");
        await using (var first = EndToEnd.WorkerProcess.Start(new Dictionary<string, string?> { ["ConnectionStrings:Recaps"] = database }, "migrate"))
        {
            var (exitCode, output) = await first.ExitAsync();
            Assert.True(exitCode == 0, output);
            Assert.Contains($"Applied migrations {string.Join(", ", MigrationRunner.All.Select(m => m.Version))}.", output, StringComparison.Ordinal);
        }

        await using var again = EndToEnd.WorkerProcess.Start(new Dictionary<string, string?> { ["ConnectionStrings:Recaps"] = database }, "migrate");
        var (againExitCode, againOutput) = await again.ExitAsync();
        Assert.Equal(0, againExitCode);
        Assert.Contains("The database is up to date.", againOutput, StringComparison.Ordinal);
    }

    private static async Task<object?> Scalar(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return await command.ExecuteScalarAsync(Cancel);
    }

    private static async Task RunRolesScriptAsync(NpgsqlConnectionStringBuilder superuser)
    {
        var binaries = PostgresCluster.FindBinaries()!;
        var psql = new ProcessStartInfo(
            Psql.Find(binaries),
            ["-X", "-w", "-h", superuser.Host!, "-U", superuser.Username!, "-d", superuser.Database!,
             "-v", $"owner_password={OwnerPassword}", "-v", $"app_password={AppPassword}",
             "-f", Path.Combine(AppContext.BaseDirectory, "compose", "roles.psql")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PGPASSWORD"] = superuser.Password },
        };
        using var process = Process.Start(psql)!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = await process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        await output;

        Assert.True(process.ExitCode == 0, $"psql failed ({process.ExitCode}): {errors}");
    }
}
