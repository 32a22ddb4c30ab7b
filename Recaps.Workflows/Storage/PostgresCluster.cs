using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Recaps.Workflows.Storage;

/// <summary>
/// A private PostgreSQL cluster in a folder of its own, run with the server binaries of this
/// machine: embedded mode keeps one across restarts, tests throw theirs away. It listens on a unix
/// socket in its folder only, so it never clashes with another server over a port. As root, the
/// tools run as the <c>postgres</c> user, because PostgreSQL refuses to run as root.
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

    /// <summary>The server's own database, over the socket, as the superuser.</summary>
    public NpgsqlConnectionStringBuilder Server => new() { Host = Folder, Username = User, Database = "postgres" };

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
        Directory.CreateDirectory(Folder);
        if (IsRoot)
        {
            await RunAsync(new ProcessStartInfo("chown", [$"{User}:", Folder]), cancellationToken);
        }

        string[] noSync = sync ? [] : ["--no-sync"];
        await RunToolAsync("initdb", ["-D", DataFolder, "-U", User, "--auth=trust", "-E", "UTF8", .. noSync], cancellationToken);
    }

    /// <summary>Starts the server, with extra <paramref name="settings"/> such as <c>-c fsync=off</c>, and waits until it accepts connections.</summary>
    public Task StartAsync(string settings = "", CancellationToken cancellationToken = default) => RunToolAsync(
        "pg_ctl", ["-D", DataFolder, "start", "-w", "-l", LogFile, "-o", $"-c listen_addresses='' -k {ShellQuoted(Folder)} {settings}".TrimEnd()], cancellationToken);

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
