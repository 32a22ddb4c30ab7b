using System.Diagnostics;
using Recaps.Testing;
using Temporalio.Client;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// A dev server (<c>temporal server start-dev</c>) whose process alone has <c>ZONEINFO</c> set to a zip
/// of tz data the test writes, so it reads zone rules from there. The SDK's
/// <c>WorkflowEnvironment.StartLocalAsync</c> takes no environment, and setting one for the whole test
/// process would reach the servers of other collections.
/// </summary>
internal sealed class ZoneinfoDevServer : IAsyncDisposable
{
    private const int OutputLinesKept = 40;

    private readonly Process _process;

    private readonly Queue<string> _output = new();

    private readonly string _folder;

    private ZoneinfoDevServer(Process process, RunningServer server, string folder)
    {
        _process = process;
        Server = server;
        _folder = folder;
    }

    public RunningServer Server { get; }

    /// <summary>
    /// Starts the server on the zip <paramref name="writeZoneinfo"/> writes to the path it is given, and
    /// waits until a client gets an answer from it; fails, with its output, when it exits or does not answer in time.
    /// </summary>
    public static async Task<(ZoneinfoDevServer Server, ITemporalClient Client)> StartAsync(string cli, Action<string> writeZoneinfo, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("recaps-zoneinfo-").FullName;
        ZoneinfoDevServer server;
        try
        {
            // Go reads ZONEINFO as a zip only when the name ends in .zip (else as a folder).
            var zoneinfo = Path.Combine(folder, "zoneinfo.zip");
            writeZoneinfo(zoneinfo);
            var port = LocalPorts.Free();
            var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])["server", "start-dev", "--ip", "127.0.0.1", "--port", $"{port}", "--headless", "--log-level", "warn", "--namespace", TemporalServerSource.DefaultNamespace])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["ZONEINFO"] = zoneinfo;
            server = new ZoneinfoDevServer(Process.Start(start)!, new($"127.0.0.1:{port}", TemporalServerSource.DefaultNamespace, cli), folder);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }

        try
        {
            return (server, await server.ConnectAsync(cancellationToken));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<ITemporalClient> ConnectAsync(CancellationToken cancellationToken)
    {
        // Read as it comes, so a full pipe never stalls the server; the last lines explain a failed start.
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var client = await Server.ConnectAsync();
                await client.WorkflowService.DescribeNamespaceAsync(new() { Namespace = Server.Namespace }, new() { CancellationToken = cancellationToken });
                return client;
            }
            catch (Exception) when (!_process.HasExited && clock.Elapsed < TemporalServerFixture.StartupLimit)
            {
                // Not listening yet, or the namespace not yet created.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (Exception error)
            {
                throw new InvalidOperationException(
                    $"temporal server start-dev with ZONEINFO did not answer on {Server.Address} within {TemporalServerFixture.StartupLimit.TotalSeconds:0} s"
                    + $"{(_process.HasExited ? $" (exited with {_process.ExitCode})" : "")}: {error.Message}\n{string.Join('\n', Output())}",
                    error);
            }
        }
    }

    private void Keep(string? line)
    {
        lock (_output)
        {
            if (line is null)
            {
                return;
            }

            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }

    private string[] Output()
    {
        lock (_output)
        {
            return [.. _output];
        }
    }
}
