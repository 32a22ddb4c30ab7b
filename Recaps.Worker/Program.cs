using Recaps.Workflows.Hosting;
using Recaps.Workflows.Sync;

// The worker: runs RecapWorkflow and its activities on the configured Temporal task queue, and syncs schedules to Temporal.
// Its only HTTP is operational: /health/live, /health/ready and /metrics.
var builder = WebApplication.CreateSlimBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) && string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.HttpPortsKey]))
{
    // Prometheus' conventional exporter port, on every interface so a scraper or probe outside a container reaches it;
    // ASPNETCORE_URLS (or ASPNETCORE_HTTP_PORTS) overrides it.
    builder.WebHost.UseUrls("http://+:9464");
}

builder.AddRecapsCore();
builder.AddRecapsTelemetry();
builder.Services.AddRecapsHealthChecks();
builder.AddRecapsWorker();
builder.AddRecapsSync();
if (args is [ScheduleAdoption.Command, .. var options])
{
    await using var adopting = builder.Build();
    return await AdoptSchedulesCommand.RunAsync(adopting.Services, options);
}

WebApplication app;
try
{
    app = builder.Build();
    app.MapRecapsWorkerEndpoints();
    await app.StartAsync();
}
catch (Exception error) when (StartupFailure.IsOperators(error))
{
    // A supervisor restarts a process that exits non-zero; say why, without a stack trace.
    await Console.Error.WriteLineAsync($"Recaps.Worker cannot start: {error.Message}");
    return 1;
}

await using (app)
{
    await app.WaitForShutdownAsync();
}

return 0;
