using System.Diagnostics;

namespace Recaps.Tests.Embedded;

/// <summary>The API's entry point as a process: how it ends when it cannot start.</summary>
public sealed class ApiProcessTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _contentRoot = Directory.CreateTempSubdirectory("recaps-process-").FullName;

    [Fact]
    public async Task Production_WithNothingConfigured_ExitsOneNamingTheSettingWithoutAStackTrace()
    {
        var (exitCode, errors, elapsed) = await RunApiAsync("Production");

        Assert.Equal(1, exitCode);
        Assert.Contains("Recaps.Api cannot start: ConnectionStrings:Recaps is required: set it in appsettings or as ConnectionStrings__Recaps.", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_contentRoot, ".recaps")));
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"Exiting took {elapsed}.");
    }

    [Fact]
    public async Task Development_ConfiguredTemporalUnreachable_ExitsOneNamingTheAddress()
    {
        var (exitCode, errors, _) = await RunApiAsync(
            "Development",
            ("ConnectionStrings__Recaps", await postgres.Server.CreateDatabaseAsync()),
            ("Temporal__Address", "127.0.0.1:1"));

        Assert.Equal(1, exitCode);
        Assert.Contains("Recaps.Api cannot start: Temporal at 127.0.0.1:1 (Temporal:Address) is unreachable", errors, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);

    private async Task<(int ExitCode, string Errors, TimeSpan Elapsed)> RunApiAsync(string environment, params (string Name, string Value)[] variables)
    {
        var start = EmbeddedHosts.ApiProcess(environment, _contentRoot);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        await output;
        return (process.ExitCode, errors, clock.Elapsed);
    }
}
