using System.Diagnostics;
using System.Net;
using Recaps.Testing;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// Recaps.Api or Recaps.Worker as deployed: its Release build in a process of its own (so its memory
/// and CPU are its own), configured by environment variables, answering /health/ready on a free local port.
/// </summary>
internal sealed class RecapsProcess : IAsyncDisposable
{
    private readonly Process _process;

    private readonly string _project;

    private RecapsProcess(Process process, string project, Uri address)
    {
        _process = process;
        _project = project;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="project"><c>Recaps.Api</c> or <c>Recaps.Worker</c>.</param>
    /// <param name="settings">Its configuration, as <see cref="DeployedProcess.StartInfo"/> takes it.</param>
    /// <param name="cancellationToken">Stops the wait for it to be ready.</param>
    public static async Task<RecapsProcess> StartAsync(string project, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(RepositoryRoot(), project, "bin", "Release", "net10.0", $"{project}.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: run `dotnet build -c Release {project}` first.");
        }

        var address = new Uri(LocalPorts.FreeUrl());
        var process = Process.Start(DeployedProcess.StartInfo(dll, address.ToString(), settings))
            ?? throw new InvalidOperationException($"Could not start {project}.");
        // Its console log is not part of the measurement; drain it so the process never blocks on a full
        // pipe. Its errors pass through: a start-up that fails says why.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => Console.Error.WriteLine(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new RecapsProcess(process, project, address);
        await started.WaitUntilReadyAsync(cancellationToken);
        return started;
    }

    /// <summary>The process's memory as the kernel counts it.</summary>
    public ProcessMemory Memory() => ProcessMemory.Read(_process.Id);

    public TimeSpan Cpu()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_project} exited with {_process.ExitCode} at start-up.");
            }

            try
            {
                if ((await client.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"{_project} was not ready within 60 s.");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Recaps.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Recaps.sln not found above the benchmark's folder.");
    }
}
