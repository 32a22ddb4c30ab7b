using Recaps.ServiceDefaults;
using Recaps.Workflows.Sync;

// The worker: runs RecapWorkflow and its activities on the configured Temporal task queue, and syncs schedules to Temporal.
// Its only HTTP is operational: /health/live and /health/ready on every interface (port 8081, beside a Web UI or API
// on 8080), so a probe outside a container reaches them (ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS overrides it);
// /metrics on the management port, Prometheus' conventional exporter port on loopback (Recaps:Management:Url).
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddRecapsManagementPort("http://127.0.0.1:9464", "http://+:8081");
builder.AddRecapsCore();
builder.AddRecapsTelemetry();
builder.Services.AddRecapsHealthChecks();
builder.AddRecapsWorker();
builder.AddRecapsSync();
if (args is [MigrateCommand.Name])
{
    await using var migrating = builder.Build();
    return await MigrateCommand.RunAsync(migrating.Services);
}

if (args is [ScheduleAdoption.Command, .. var options])
{
    await using var adopting = builder.Build();
    return await AdoptSchedulesCommand.RunAsync(adopting.Services, options);
}

WebApplication app;
try
{
    app = builder.Build();
    app.UseRecapsManagementPort();
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
