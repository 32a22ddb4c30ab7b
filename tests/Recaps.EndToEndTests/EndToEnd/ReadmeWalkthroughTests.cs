using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Recaps.DevTools;
using Recaps.Testing;
using Recaps.Tests.Api;
using Recaps.Tests.Embedded;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// The README's "Run it" as a newcomer follows it: the API process as <c>dotnet run --project
/// Recaps.Api</c> starts it (Development, nothing configured), then the README's walkthrough, run by
/// bash as written, with the token and the address the banner prints.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed partial class ReadmeWalkthroughTests(TemporalServerFixture temporal) : IAsyncDisposable
{
    /// <summary>The banner's last line.</summary>
    private const string BannerEnd = "Stop with Ctrl+C";

    /// <summary>How long the API may take to stop its worker, dev server and cluster.</summary>
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(30);

    private readonly string _contentRoot = EmbeddedHosts.CreateFolder("recaps-walkthrough-");

    private readonly StringBuilder _apiOutput = new();

    private Process? _api;

    [Fact]
    public async Task Walkthrough_AsWrittenInTheReadme_ReadsTheRecapAndItsRunOpensInTheWebUi()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The walkthrough is bash, and the test stops the API with kill.");
        var cli = temporal.Require().Cli;
        Assert.SkipWhen(cli is null, $"The walkthrough starts its own dev server: put the temporal CLI on PATH or set {TemporalCli.Variable}.");
        var start = EmbeddedHosts.ApiProcess(
            Environments.Development,
            _contentRoot,
            "--urls",
            $"http://localhost:{LocalPorts.Free()}",
            $"--Recaps:Embedded:TemporalPort={LocalPorts.Free()}",
            $"--Recaps:Embedded:TemporalUiPort={LocalPorts.Free()}");
        start.Environment[TemporalCli.Variable] = cli;

        var banner = await StartApiAsync(start);
        var api = new Uri(BannerField(banner, "API:"));
        var token = BannerField(banner, "export TOKEN=");
        var output = await RunBashAsync(Walkthrough().Replace("localhost:5080", api.Authority, StringComparison.Ordinal), token);

        using var demo = new HttpClient { BaseAddress = api };
        demo.DefaultRequestHeaders.Authorization = new("Bearer", token);
        // Newest first: the walkthrough's schedule, then the demo schedule.
        var created = (await demo.GetJsonAsync("/v1/schedules")).GetProperty("items")[0];
        var run = (await Eventually.UntilAsync(
            "the run to complete",
            () => demo.GetJsonAsync($"/v1/schedules/{created.Id()}/runs"),
            runs => runs.GetProperty("items").EnumerateArray().Any(r => r.Text("status") == "completed"))).GetProperty("items")[0];
        var recap = (await demo.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray().Single(r => r.Text("scheduleId") == created.Id());
        using var browser = new HttpClient();
        var uiBase = BannerField(banner, "Temporal UI:").TrimEnd('/');
        using var webUi = await browser.GetAsync(new Uri(run.Text("temporalUiUrl")), ApiCalls.Cancel);
        // The page is a single-page app that answers 200 for any path; the Web UI's own API behind it
        // answers for the workflow only if the link names one that exists.
        // The run is stored completed as its last activity ends; Temporal closes the workflow just after.
        var (shownStatus, shownJson) = await Eventually.UntilAsync(
            "the Web UI to show the workflow completed",
            async () =>
            {
                using var shown = await browser.GetAsync(new Uri(run.Text("temporalUiUrl").Replace(uiBase, $"{uiBase}/api/v1", StringComparison.Ordinal)), ApiCalls.Cancel);
                return (shown.StatusCode, await shown.Content.ReadAsStringAsync(ApiCalls.Cancel));
            },
            answer => answer.StatusCode == HttpStatusCode.OK && answer.Item2.Contains("WORKFLOW_EXECUTION_STATUS_COMPLETED", StringComparison.Ordinal));
        var exitCode = await StopAsync(_api!);

        // What the walkthrough printed: the previewed runs, the recap's channels and the run's link.
        Assert.Contains(created.GetProperty("nextRuns")[0].Text("local"), output, StringComparison.Ordinal);
        var channels = recap.GetProperty("channels").EnumerateArray().Select(c => c.Text("channelId")).ToList();
        Assert.Equal(created.GetProperty("channelIds").EnumerateArray().Select(c => c.GetString()), channels);
        Assert.All(channels, channel => Assert.Contains($"\"channelId\": \"{channel}\"", output, StringComparison.Ordinal));
        Assert.Contains(run.Text("temporalUiUrl"), output, StringComparison.Ordinal);
        Assert.StartsWith(BannerField(banner, "Temporal UI:"), run.Text("temporalUiUrl"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, webUi.StatusCode);
        Assert.True(shownStatus == HttpStatusCode.OK, $"The Web UI's API answered {shownStatus}: {shownJson}");
        Assert.Equal(
            "WORKFLOW_EXECUTION_STATUS_COMPLETED",
            System.Text.Json.JsonDocument.Parse(shownJson).RootElement.GetProperty("workflowExecutionInfo").Text("status"));
        Assert.Equal(0, exitCode);
        Assert.False(File.Exists(Path.Combine(_contentRoot, ".recaps", "postgres", "data", "postmaster.pid")), "The private cluster outlived the API.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is { HasExited: false })
        {
            // A test that failed half-way still stops the API, so its cluster and dev server go with it.
            try
            {
                await StopAsync(_api);
            }
            catch (TimeoutException)
            {
                _api.Kill(entireProcessTree: true);
            }
        }

        _api?.Dispose();
        Directory.Delete(_contentRoot, recursive: true);
    }

    /// <summary>The bash block of "Run it" that begins with the banner's token; the test exports the token itself.</summary>
    private static string Walkthrough()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var runIt = RunItSection().Match(readme);
        Assert.True(runIt.Success, "README.md has no \"## Run it\" section.");
        var walkthrough = WalkthroughBlock().Match(runIt.Value);
        Assert.True(walkthrough.Success, "\"Run it\" in README.md has no bash block that begins with export TOKEN=.");
        return walkthrough.Groups["steps"].Value;
    }

    /// <summary>Starts the API and returns its banner; fails with its output when it ends or stays silent instead.</summary>
    private async Task<string> StartApiAsync(ProcessStartInfo start)
    {
        var banner = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var limit = new CancellationTokenSource(Eventually.Deadline);
        using var giveUp = limit.Token.Register(() => banner.TrySetResult(ApiOutput()));
        _api = new Process { StartInfo = start };
        _api.OutputDataReceived += (_, line) => Collect(line.Data, banner);
        _api.ErrorDataReceived += (_, line) => Collect(line.Data, banner: null);
        _api.Start();
        _api.BeginOutputReadLine();
        _api.BeginErrorReadLine();

        var output = await banner.Task;
        Assert.True(
            output.Contains(BannerEnd, StringComparison.Ordinal),
            $"The API printed no banner (it ended, or {Eventually.Deadline.TotalSeconds:0} s passed):\n{output}");
        return output[output.LastIndexOf("Recaps is running", StringComparison.Ordinal)..];
    }

    /// <summary>Keeps the API's output for failure messages; the banner's last line, or the end of the output, completes <paramref name="banner"/>.</summary>
    private void Collect(string? line, TaskCompletionSource<string>? banner)
    {
        lock (_apiOutput)
        {
            _apiOutput.AppendLine(line);
            if (banner is not null && (line is null || line.Contains(BannerEnd, StringComparison.Ordinal)))
            {
                banner.TrySetResult(_apiOutput.ToString());
            }
        }
    }

    private string ApiOutput()
    {
        lock (_apiOutput)
        {
            return _apiOutput.ToString();
        }
    }

    /// <summary>Runs <paramref name="script"/> as a newcomer pastes it, stopping at the first failing line; returns what it printed.</summary>
    private async Task<string> RunBashAsync(string script, string token)
    {
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TOKEN"] = token;
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync(ApiCalls.Cancel);
        var errors = bash.StandardError.ReadToEndAsync(ApiCalls.Cancel);
        try
        {
            await bash.WaitForExitAsync(ApiCalls.Cancel).WaitAsync(Eventually.Deadline, ApiCalls.Cancel);
        }
        catch (TimeoutException)
        {
            // The walkthrough waits for the recap in a loop that only this ends.
            bash.Kill(entireProcessTree: true);
            await bash.WaitForExitAsync(ApiCalls.Cancel);
        }

        Assert.True(
            bash.ExitCode == 0,
            $"The walkthrough ended with {bash.ExitCode}:\n{script}\n--- printed:\n{await output}\n--- errors:\n{await errors}\n--- the API:\n{ApiOutput()}");
        return await output;
    }

    /// <summary>
    /// Stops the API as Ctrl+C does, with SIGTERM rather than SIGINT: a shell that starts the tests in
    /// the background ignores SIGINT for them, and the API inherits that. The API stops its worker,
    /// dev server and cluster on the way out.
    /// </summary>
    private static async Task<int> StopAsync(Process api)
    {
        using (var terminate = Process.Start("kill", ["-TERM", api.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await terminate.WaitForExitAsync(ApiCalls.Cancel);
        }

        await api.WaitForExitAsync(ApiCalls.Cancel).WaitAsync(StopLimit, ApiCalls.Cancel);
        return api.ExitCode;
    }

    private static string BannerField(string banner, string label) =>
        banner.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith(label, StringComparison.Ordinal))[label.Length..].Trim();

    [GeneratedRegex(@"^## Run it\n.*?(?=^## )", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex RunItSection();

    [GeneratedRegex(@"^```bash\nexport TOKEN=[^\n]*\n(?<steps>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex WalkthroughBlock();
}
