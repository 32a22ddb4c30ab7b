using Npgsql;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Sync;
using Temporalio.Exceptions;

/// <summary>
/// <c>Recaps.Worker adopt-schedules [--from mark]</c>: one adoption pass (<see cref="ScheduleAdoption"/>)
/// with the worker's configuration, then exit. Run once after upgrading from a version without owner
/// marks, or with <c>--from</c> the old mark after changing <c>Recaps:Sync:Owner</c>.
/// </summary>
internal static class AdoptSchedulesCommand
{
    /// <param name="services">The worker's services, not started.</param>
    /// <param name="options">What follows the command: nothing, or <c>--from mark</c>.</param>
    public static async Task<int> RunAsync(IServiceProvider services, string[] options)
    {
        if (options is not ([] or ["--from", _]))
        {
            await Console.Error.WriteLineAsync($"Usage: Recaps.Worker {ScheduleAdoption.Command} [--from <owner mark>]");
            return 2;
        }

        var from = options is [_, var mark] ? mark : null;
        try
        {
            await MigrationRunner.ApplyAsync(services.GetRequiredService<NpgsqlDataSource>());
            var report = await services.GetRequiredService<ScheduleAdoption>().AdoptAsync(from);
            Print("Adopted (now marked as this deployment's)", report.Adopted);
            Print("Deleted (their schedule was deleted here)", report.Deleted);
            Print("Left alone (not in this database: another deployment's, or delete them with `temporal schedule delete`)", report.LeftAlone);
            Print(
                "Failed (run the command again; a deleted one is written again by the reconciler, without an operator's pause shown here)",
                [.. report.Failed.Select(f => $"{f.Listed.ScheduleId} (paused: {f.Listed.Paused}, note: {f.Listed.Note}): {f.Error}")]);
            return report.Failed.Count == 0 ? 0 : 1;
        }
        catch (Exception error) when (error is NpgsqlException or RpcException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Recaps.Worker {ScheduleAdoption.Command} failed: {error.Message}");
            return 1;
        }
    }

    private static void Print(string heading, List<string> scheduleIds)
    {
        Console.WriteLine($"{heading}: {scheduleIds.Count}");
        foreach (var id in scheduleIds)
        {
            Console.WriteLine($"  {id}");
        }
    }
}
