using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Recaps.Api.Embedded;
using Recaps.ServiceDefaults;
using Recaps.Testing;

namespace Recaps.Tests.Embedded;

public sealed class EmbeddedTemporalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recaps-temporal-").FullName;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_PortInUse_FailsNamingTheSettingAndHowToUseWhatListens()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var options = new EmbeddedOptions { TemporalPort = port, TemporalUiPort = LocalPorts.Free() };

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => EmbeddedTemporal.StartAsync(options, cli: null, _folder, "default", Cancel));

        Assert.StartsWith($"Temporal: port {port} (Recaps:Embedded:TemporalPort) is in use", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Temporal__Address=localhost:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recaps__Embedded__TemporalPort=<port>", error.Message, StringComparison.Ordinal);
        // Refused before anything was downloaded or started.
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Start_CliThatCannotRunTheDevServer_AskedForUiAndDatabaseFile_FailsWithinSecondsNamingTheCliAndTheFixes()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The stand-in CLI is a shell script.");
        var cli = Path.Combine(_folder, "temporal");
        var arguments = Path.Combine(_folder, "arguments");
        await File.WriteAllTextAsync(cli, $"#!/bin/sh\necho \"$@\" > '{arguments}'\necho 'not a Temporal CLI' >&2\nexit 1\n", Cancel);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var options = new EmbeddedOptions { TemporalPort = LocalPorts.Free(), TemporalUiPort = LocalPorts.Free() };
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => EmbeddedTemporal.StartAsync(options, cli, _folder, "default", Cancel));

        Assert.StartsWith($"Temporal: Temporal:Address is not set, and the dev server could not start from {cli}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Temporal__Address=host:7233", error.Message, StringComparison.Ordinal);
        Assert.Contains("RECAPS_TEMPORAL_CLI", error.Message, StringComparison.Ordinal);
        Assert.Contains("docker compose -f docker-compose.temporal.yml -f compose/operator.yml up -d temporal temporal-ui", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Failing took {clock.Elapsed}.");
        // What the SDK asked of the CLI: the dev server on the chosen ports, with its Web UI and a database file that outlives it.
        var asked = await File.ReadAllTextAsync(arguments, Cancel);
        Assert.StartsWith("server start-dev ", asked, StringComparison.Ordinal);
        Assert.Contains($"--port {options.TemporalPort} ", asked, StringComparison.Ordinal);
        Assert.Contains($"--ui-port {options.TemporalUiPort}", asked, StringComparison.Ordinal);
        Assert.Contains($"--db-filename {Path.Combine(_folder, "temporal.db")}", asked, StringComparison.Ordinal);
        Assert.DoesNotContain("--headless", asked, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
