using Npgsql;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Sync;
using Temporalio.Exceptions;

/// <summary>
/// <c>Recaps.Worker adopt-schedules</c>: one adoption pass (<see cref="ScheduleAdoption"/>) with the
/// worker's configuration, then exit. Run once after upgrading from a version without owner marks.
/// </summary>
internal static class AdoptSchedulesCommand
{
    public static async Task<int> RunAsync(IServiceProvider services)
    {
        try
        {
            await MigrationRunner.ApplyAsync(services.GetRequiredService<NpgsqlDataSource>());
            var report = await services.GetRequiredService<ScheduleAdoption>().AdoptAsync();
            Console.WriteLine($"Adopted {report.Adopted.Count} Temporal schedule(s) (now marked as this deployment's):");
            report.Adopted.ToList().ForEach(id => Console.WriteLine($"  {id}"));
            Console.WriteLine($"Left alone {report.LeftAlone.Count} unmarked schedule(s) this database does not know (another deployment's, or delete them with `temporal schedule delete`):");
            report.LeftAlone.ToList().ForEach(id => Console.WriteLine($"  {id}"));
            return 0;
        }
        catch (Exception error) when (error is NpgsqlException or RpcException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Recaps.Worker {ScheduleAdoption.Command} failed: {error.Message}");
            return 1;
        }
    }
}
