using System.Runtime.Versioning;
using Npgsql;
using Recaps.Api.Embedded;
using Recaps.DevTools;
using Recaps.ServiceDefaults;
using Recaps.Testing;

namespace Recaps.Tests.Embedded;

public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _folder = EmbeddedHosts.CreateFolder("recaps-embedded-");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_WithoutServerBinaries_FailsNamingEveryFix()
    {
        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => EmbeddedPostgres.StartAsync(Path.Combine(_folder, "pg"), binaries: null, Cancel));

        Assert.StartsWith("PostgreSQL: ConnectionStrings:Recaps is not set, and no PostgreSQL server binaries", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Recaps=", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        Assert.Contains("docker compose -f docker-compose.temporal.yml up -d recaps-db", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "pg")));
    }

    [Fact]
    public async Task Start_TwiceInTheSameFolderWithASpace_KeepsTheData()
    {
        var binaries = RequireBinaries();
        // A space, as in a checkout under "My Projects", must survive pg_ctl's shell.
        var folder = Path.Combine(_folder, "pg data");

        await using (var first = await EmbeddedPostgres.StartAsync(folder, binaries, Cancel))
        {
            await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('across restarts')");
        }

        Assert.False(await new PostgresCluster(folder, binaries).IsRunningAsync(Cancel));
        await using var second = await EmbeddedPostgres.StartAsync(folder, binaries, Cancel);
        await using var connection = new NpgsqlConnection(second.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var read = new NpgsqlCommand("SELECT value FROM kept", connection);

        Assert.Equal("across restarts", await read.ExecuteScalarAsync(Cancel));
        Assert.Equal(EmbeddedPostgres.Database, connection.Database);
    }

    [Fact]
    public async Task Start_ServerLeftRunningByAKilledRun_UsesIt()
    {
        var binaries = RequireBinaries();
        var folder = Path.Combine(_folder, "pg");
        var cluster = new PostgresCluster(folder, binaries);
        await cluster.InitAsync(sync: false, Cancel);
        await cluster.StartAsync(cancellationToken: Cancel);

        await using var embedded = await EmbeddedPostgres.StartAsync(folder, binaries, Cancel);

        Assert.Equal(1, await ExecuteAsync(embedded.ConnectionString, "SELECT 1"));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Start_NewCluster_IsPrivateToThisUser()
    {
        var binaries = RequireBinaries();
        var folder = Path.Combine(_folder, "pg");

        await using var embedded = await EmbeddedPostgres.StartAsync(folder, binaries, Cancel);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "password")));
        await AssertPasswordRequiredAsync(embedded);
        await AssertOtherUserRefusedAsync(folder, binaries);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Start_ClusterMadeWithTrustSignIn_IsMadePrivateKeepingItsData()
    {
        var binaries = RequireBinaries();
        var folder = Path.Combine(_folder, "pg");
        await using (var first = await EmbeddedPostgres.StartAsync(folder, binaries, Cancel))
        {
            await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('across the upgrade')");
        }

        // What earlier versions left: trust sign-in, an open folder and no password file.
        await File.WriteAllTextAsync(Path.Combine(folder, "data", "pg_hba.conf"), "local all all trust\n", Cancel);
        File.Delete(Path.Combine(folder, "password"));
        File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        await using var second = await EmbeddedPostgres.StartAsync(folder, binaries, Cancel);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        await using var connection = new NpgsqlConnection(second.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var read = new NpgsqlCommand("SELECT value FROM kept", connection);
        Assert.Equal("across the upgrade", await read.ExecuteScalarAsync(Cancel));
        await AssertPasswordRequiredAsync(second);
        await AssertOtherUserRefusedAsync(folder, binaries);
    }

    [Fact]
    public async Task Start_FolderUnusable_FailsNamingTheFolderAndTheFixes()
    {
        var binaries = RequireBinaries();
        var notAFolder = Path.Combine(_folder, "file");
        await File.WriteAllTextAsync(notAFolder, "", Cancel);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => EmbeddedPostgres.StartAsync(notAFolder, binaries, Cancel));

        Assert.StartsWith($"PostgreSQL: the private cluster in {notAFolder} could not start: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recaps__Embedded__DataFolder", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Recaps=", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static string RequireBinaries()
    {
        var binaries = PostgresCluster.FindBinaries();
        Assert.SkipWhen(binaries is null, "No PostgreSQL server binaries (initdb, pg_ctl) on this machine.");
        return binaries!;
    }

    private static async Task AssertPasswordRequiredAsync(EmbeddedPostgres embedded)
    {
        var withoutPassword = new NpgsqlConnectionStringBuilder(embedded.ConnectionString) { Password = null, Pooling = false };

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(withoutPassword.ConnectionString, "SELECT 1"));

        Assert.Contains("password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Another local account (<c>nobody</c>) runs psql against the server's socket and is turned
    /// away. Only root can act as another user; others rely on the 0700 folder asserted beside this.
    /// </summary>
    private static async Task AssertOtherUserRefusedAsync(string folder, string binaries)
    {
        if (Environment.UserName != "root")
        {
            return;
        }

        var connect = new System.Diagnostics.ProcessStartInfo(
            "setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", Psql.Find(binaries), "-w", "-h", folder, "-U", PostgresCluster.User, "-d", "postgres", "-c", "SELECT 1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(connect)!;
        var error = await process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Permission denied", error, StringComparison.Ordinal);
        Assert.Contains(".s.PGSQL.5432", error, StringComparison.Ordinal);
    }

    private static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(Cancel) ?? 0, System.Globalization.CultureInfo.InvariantCulture);
    }
}
