using System.Diagnostics;
using System.Text.Json;
using Recaps.Tests.Api;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// What an operator does to Temporal: the real <c>temporal</c> CLI against the test's server. It goes
/// around Recaps, and a pause's note carries no Recaps prefix.
/// </summary>
internal static class TemporalOperator
{
    /// <summary><c>temporal schedule toggle --pause|--unpause --reason …</c>; the same call through the SDK where there is no CLI.</summary>
    public static Task ToggleAsync(EndToEndWorld world, string scheduleId, bool pause, string reason) => ScheduleCommandAsync(
        world,
        scheduleId,
        handle => pause ? handle.PauseAsync(reason) : handle.UnpauseAsync(reason),
        "schedule", "toggle", pause ? "--pause" : "--unpause", "--reason", reason);

    /// <summary><c>temporal schedule delete</c>; the same call through the SDK where there is no CLI.</summary>
    public static Task DeleteAsync(EndToEndWorld world, string scheduleId) =>
        ScheduleCommandAsync(world, scheduleId, handle => handle.DeleteAsync(), "schedule", "delete");

    /// <summary>Runs <c>temporal {arguments} --address … --namespace …</c>; fails the test on a non-zero exit, naming its output.</summary>
    public static async Task<string> RunAsync(RunningServer server, params string[] arguments)
    {
        if (server.Cli is not { } cli)
        {
            // CI always has the CLI (and fails on a skip); a developer's server without one skips, saying why.
            Assert.Skip($"This operator path runs the temporal CLI, and there is none for {server.Address}: put it on PATH or set RECAPS_TEMPORAL_CLI.");
            return "";
        }

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

    private static async Task ScheduleCommandAsync(EndToEndWorld world, string scheduleId, Func<ScheduleHandle, Task> throughSdk, params string[] command)
    {
        if (world.Server.Cli is null)
        {
            await throughSdk(world.Temporal.GetScheduleHandle(scheduleId));
            return;
        }

        await RunAsync(world.Server, [.. command, "--schedule-id", scheduleId]);
    }
}
