using System.Diagnostics;
using System.Net;
using Recaps.Benchmarks.Load;
using Recaps.Testing;

namespace Recaps.Benchmarks.Api;

/// <summary>
/// Recaps.Api as deployed: its Release build in a process of its own (so its memory is its own),
/// configured by environment variables, on a free local port.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ApiProcess> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(RepositoryRoot(), "Recaps.Api", "bin", "Release", "net10.0", "Recaps.Api.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: run `dotnet build -c Release Recaps.Api` first.");
        }

        var address = new Uri(LocalPorts.FreeUrl());
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { dll }, RedirectStandardOutput = true };
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["Recaps__Management__Url"] = LocalPorts.FreeUrl();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Recaps.Api.");
        // Its console log is not part of the measurement; drain it so the process never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var api = new ApiProcess(process, address);
        await api.WaitUntilReadyAsync(cancellationToken);
        return api;
    }

    /// <summary>The API process's memory as the kernel counts it.</summary>
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
                throw new InvalidOperationException($"Recaps.Api exited with {_process.ExitCode} at start-up.");
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

        throw new TimeoutException("Recaps.Api was not ready within 60 s.");
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
