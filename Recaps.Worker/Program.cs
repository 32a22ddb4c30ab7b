using Microsoft.Extensions.Options;
using Npgsql;
using Recaps.Workflows.Hosting;

// The worker: runs RecapWorkflow and its activities on the configured Temporal task queue, and syncs schedules to Temporal.
var builder = Host.CreateApplicationBuilder(args);
builder.AddRecapsCore();
builder.AddRecapsWorker();
builder.AddRecapsSync();
try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (Exception error) when (error is OptionsValidationException or InvalidOperationException or NpgsqlException)
{
    // A supervisor restarts a process that exits non-zero; say why, without a stack trace.
    await Console.Error.WriteLineAsync($"Recaps.Worker cannot start: {error.Message}");
    return 1;
}
