using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace Recaps.DevTools;

/// <summary>
/// A private PostgreSQL cluster in a folder of its own, run with the server binaries of this
/// machine: embedded mode keeps one across restarts, tests throw theirs away. It listens on a unix
/// socket in its folder only, so it never clashes with another server over a port. As root, the
/// tools run as the <c>postgres</c> user, because PostgreSQL refuses to run as root.
/// It is private to this OS user: the folder (and so the socket) is 0700, and the superuser signs
/// in with scram-sha-256 and a generated password kept in a 0600 file in the folder, so another
/// local user can neither reach the socket nor sign in without the password.
/// </summary>
public sealed class PostgresCluster
{
    public const string User = "postgres";

    // sun_path holds 108 bytes on Linux and 104 on macOS and the BSDs, with its terminating zero.
    private static readonly int MaxSocketPathBytes = OperatingSystem.IsLinux() ? 107 : 103;

    private readonly string _binaries;

    public PostgresCluster(string folder, string binaries)
    {
        Folder = Path.GetFullPath(folder);
        _binaries = binaries;
        var socket = Path.Combine(Folder, ".s.PGSQL.5432");
        if (System.Text.Encoding.UTF8.GetByteCount(socket) > MaxSocketPathBytes)
        {
            throw new InvalidOperationException(
                $"The folder {Folder} is too long for PostgreSQL's socket ({socket} exceeds {MaxSocketPathBytes} bytes): choose a shorter one.");
        }
    }

    public string Folder { get; }

    public string DataFolder => Path.Combine(Folder, "data");

    public string LogFile => Path.Combine(Folder, "server.log");

    public bool IsInitialized => File.Exists(Path.Combine(DataFolder, "PG_VERSION"));

    /// <summary>The superuser's password, written by <see cref="InitAsync"/>.</summary>
    public string PasswordFile => Path.Combine(Folder, "password");

    /// <summary>The server's own database, over the socket, as the superuser.</summary>
    public NpgsqlConnectionStringBuilder Server => new()
    {
        Host = Folder,
        Username = User,
        Password = File.ReadAllText(PasswordFile),
        Database = "postgres",
    };

    /// <summary>The folder holding <c>initdb</c> and <c>pg_ctl</c> on this machine (PATH, then the installed versions); null when there is none.</summary>
    public static string? FindBinaries() => FindBinaries(Environment.GetEnvironmentVariable("PATH"));

    /// <summary>
    /// The folder holding <c>initdb</c> and <c>pg_ctl</c>: the first on PATH, else the newest of
    /// Debian's and Ubuntu's <c>/usr/lib/postgresql/N/bin</c>, which the server package does not put on PATH.
    /// </summary>
    public static string? FindBinaries(string? path, string versionsFolder = "/usr/lib/postgresql")
    {
        var onPath = (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var installed = Directory.Exists(versionsFolder)
            ? Directory.EnumerateDirectories(versionsFolder)
                .Select(version => (Version: int.TryParse(Path.GetFileName(version), CultureInfo.InvariantCulture, out var number) ? number : -1, Bin: Path.Combine(version, "bin")))
                .OrderByDescending(v => v.Version)
                .Select(v => v.Bin)
            : [];
        return onPath.Concat(installed).FirstOrDefault(folder => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")));
    }

    /// <summary>Creates the data folder; <paramref name="sync"/> false skips initdb's wait for the disk, for clusters thrown away after the run.</summary>
    public async Task InitAsync(bool sync = true, CancellationToken cancellationToken = default)
    {
        await MakePrivateAsync(cancellationToken);
        string[] noSync = sync ? [] : ["--no-sync"];
        await RunToolAsync(
            "initdb", ["-D", DataFolder, "-U", User, "--auth=scram-sha-256", $"--pwfile={PasswordFile}", "-E", "UTF8", .. noSync], cancellationToken);
    }

    /// <summary>
    /// A cluster made before clusters were private (trust sign-in, an open folder) gets a password,
    /// scram-sha-256 sign-in and a 0700 folder; the server must be running. Others are left as they
    /// are. Whether to convert is read from the sign-in rules themselves, so a conversion cut short
    /// (a killed process, a failed reload) is simply done again on the next start.
    /// </summary>
    public async Task SecureAsync(CancellationToken cancellationToken = default)
    {
        var rules = Path.Combine(DataFolder, "pg_hba.conf");
        if (!(await File.ReadAllLinesAsync(rules, cancellationToken)).Any(TrustsSomeone))
        {
            return;
        }

        if (!File.Exists(PasswordFile))
        {
            await MakePrivateAsync(cancellationToken);
        }

        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Password = null, Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var setPassword = new NpgsqlCommand($"ALTER ROLE {User} PASSWORD '{await File.ReadAllTextAsync(PasswordFile, cancellationToken)}'", connection);
            await setPassword.ExecuteNonQueryAsync(cancellationToken);
        }

        // The server listens on its socket only (listen_addresses ''), so one local line is the whole policy.
        await File.WriteAllTextAsync(rules, "local all all scram-sha-256\n", cancellationToken);
        await GiveToServerUserAsync(rules, cancellationToken);
        await RunToolAsync("pg_ctl", ["-D", DataFolder, "reload"], cancellationToken);
    }

    /// <summary>A pg_hba.conf rule (not a comment) whose method is trust.</summary>
    private static bool TrustsSomeone(string rule) =>
        !rule.TrimStart().StartsWith('#') && rule.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Contains("trust");

    /// <summary>Starts the server, with extra <paramref name="settings"/> such as <c>-c fsync=off</c>, and waits until it accepts connections.</summary>
    public Task StartAsync(string settings = "", CancellationToken cancellationToken = default) => RunToolAsync(
        "pg_ctl",
        ["-D", DataFolder, "start", "-w", "-l", LogFile, "-o", $"-c listen_addresses='' -c unix_socket_permissions=0700 -k {ShellQuoted(Folder)} {settings}".TrimEnd()],
        cancellationToken);

    /// <summary>
    /// The folder 0700 and a new password in a 0600 file, both owned by the server's user. The
    /// folder is closed first, so the file is never readable by others. The password is hex, so it
    /// needs no quoting in SQL or a connection string.
    /// </summary>
    private async Task MakePrivateAsync(CancellationToken cancellationToken)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Directory.CreateDirectory(Folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Folder, OwnerOnly | UnixFileMode.UserExecute);
        }

        await File.WriteAllTextAsync(PasswordFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFile, OwnerOnly);
        }

        await GiveToServerUserAsync(Folder, cancellationToken);
        await GiveToServerUserAsync(PasswordFile, cancellationToken);
    }

    private static async Task GiveToServerUserAsync(string path, CancellationToken cancellationToken)
    {
        if (IsRoot)
        {
            await RunAsync(new ProcessStartInfo("chown", [$"{User}:", path]), cancellationToken);
        }
    }

    /// <summary>pg_ctl hands <c>-o</c> to a shell, so a folder with a space or a quote must arrive as one word.</summary>
    private static string ShellQuoted(string value) => $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    /// <summary><c>pg_ctl status</c>: true when a server runs on this data folder.</summary>
    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken = default) =>
        await ExitCodeAsync(ToolStart("pg_ctl", ["-D", DataFolder, "status"]), cancellationToken) == 0;

    /// <summary>Stops the server: <paramref name="mode"/> <c>fast</c> shuts it down cleanly, <c>immediate</c> as a crash would.</summary>
    public Task StopAsync(string mode = "fast", CancellationToken cancellationToken = default) =>
        RunToolAsync("pg_ctl", ["-D", DataFolder, "stop", "-m", mode], cancellationToken);

    public async Task CreateDatabaseIfMissingAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunToolAsync(string tool, string[] args, CancellationToken cancellationToken) => RunAsync(ToolStart(tool, args), cancellationToken);

    private ProcessStartInfo ToolStart(string tool, string[] args)
    {
        var file = Path.Combine(_binaries, tool);
        return IsRoot
            ? new ProcessStartInfo("setpriv", [$"--reuid={User}", $"--regid={User}", "--init-groups", "--", file, .. args])
            : new ProcessStartInfo(file, args);
    }

    private static async Task RunAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunCapturedAsync(start, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList)} failed ({exitCode}): {output.Trim()}");
        }
    }

    private static async Task<int> ExitCodeAsync(ProcessStartInfo start, CancellationToken cancellationToken) =>
        (await RunCapturedAsync(start, cancellationToken)).ExitCode;

    private static async Task<(int ExitCode, string Output)> RunCapturedAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await error + await output);
    }
}
