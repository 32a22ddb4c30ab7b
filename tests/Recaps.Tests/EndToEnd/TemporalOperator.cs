using System.Diagnostics;
using System.Text.Json;
using Recaps.Tests.Api;

namespace Recaps.Tests.EndToEnd;

/// <summary>What an operator types: the real <c>temporal</c> CLI against the test's server.</summary>
internal static class TemporalOperator
{
    /// <summary>Runs <c>temporal {arguments} --address … --namespace …</c>; fails the test on a non-zero exit, naming its output.</summary>
    public static async Task<string> RunAsync(RunningServer server, params string[] arguments)
    {
        var cli = server.Cli ?? throw new InvalidOperationException($"No temporal CLI for {server.Address}: the caller checks RunningServer.Cli.");
        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments.Concat(["--address", server.Address, "--namespace", server.Namespace]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(ApiCalls.Cancel);
        var output = await process.StandardOutput.ReadToEndAsync(ApiCalls.Cancel);
        await process.WaitForExitAsync(ApiCalls.Cancel);
        Assert.True(process.ExitCode == 0, $"temporal {string.Join(' ', arguments)} exited with {process.ExitCode}: {output}{await errors}");
        return output;
    }

    /// <summary>A command's <c>-o json</c> answer.</summary>
    public static async Task<JsonElement> JsonAsync(RunningServer server, params string[] arguments) =>
        JsonDocument.Parse(await RunAsync(server, [.. arguments, "-o", "json"])).RootElement.Clone();
}
