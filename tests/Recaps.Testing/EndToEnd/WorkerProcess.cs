using System.Diagnostics;
using System.Text;
using Recaps.Testing;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// The built Recaps.Worker in a process of its own, configured as a deployment configures it
/// (environment variables), so a test can kill it as a crash, the OOM killer or a lost node would.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private readonly StringBuilder _output = new();

    private WorkerProcess(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start };
        // Drained as it comes, so the worker never blocks on a full pipe; kept for a failing test's output.
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <param name="settings">Configuration keys (<c>Temporal:Address</c>…), passed as <c>Temporal__Address</c>….</param>
    /// <param name="arguments">The command line after the program (<c>adopt-schedules</c>); none runs the worker.</param>
    public static WorkerProcess Start(IReadOnlyDictionary<string, string?> settings, params string[] arguments) =>
        // Any free port: the default (8080) would clash with another worker's on this machine.
        new(DeployedProcess.StartInfo(Path.Combine(AppContext.BaseDirectory, "Recaps.Worker.dll"), "http://127.0.0.1:0", settings, arguments));

    /// <summary>SIGKILL: no graceful shutdown, nothing reported to Temporal or written to the database on the way out.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    /// <summary>A command's end: its exit code and all it printed.</summary>
    public async Task<(int ExitCode, string Output)> ExitAsync()
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        // The wait without a timeout also waits for the redirected output to be drained.
        _process.WaitForExit();
        return (_process.ExitCode, Output());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"Recaps.Worker (process {_process.Id}, exit code {_process.ExitCode}):\n{Output()}");
        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
