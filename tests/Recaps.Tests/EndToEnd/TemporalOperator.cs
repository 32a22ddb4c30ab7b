using System.Diagnostics;
using Recaps.Tests.Api;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// What an operator does to a Temporal schedule: the temporal CLI when it is here, else the same
/// server call through the SDK. Either way it goes around Recaps, and a pause's note carries no
/// Recaps prefix.
/// </summary>
internal static class TemporalOperator
{
    /// <summary><c>temporal schedule toggle --pause|--unpause --reason …</c>.</summary>
    public static Task ToggleAsync(EndToEndWorld world, string scheduleId, bool pause, string reason) => RunAsync(
        world,
        scheduleId,
        handle => pause ? handle.PauseAsync(reason) : handle.UnpauseAsync(reason),
        "schedule", "toggle", pause ? "--pause" : "--unpause", "--reason", reason);

    /// <summary><c>temporal schedule delete</c>.</summary>
    public static Task DeleteAsync(EndToEndWorld world, string scheduleId) =>
        RunAsync(world, scheduleId, handle => handle.DeleteAsync(), "schedule", "delete");

    private static async Task RunAsync(EndToEndWorld world, string scheduleId, Func<ScheduleHandle, Task> throughSdk, params string[] command)
    {
        if (world.Server.Cli is not { } cli)
        {
            await throughSdk(world.Temporal.GetScheduleHandle(scheduleId));
            return;
        }

        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Concat(["--schedule-id", scheduleId, "--address", world.Server.Address, "--namespace", world.Server.Namespace]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(ApiCalls.Cancel);
        var output = await process.StandardOutput.ReadToEndAsync(ApiCalls.Cancel);
        await process.WaitForExitAsync(ApiCalls.Cancel);
        Assert.True(process.ExitCode == 0, $"temporal {string.Join(' ', command)} exited with {process.ExitCode}: {output}{await errors}");
    }
}
