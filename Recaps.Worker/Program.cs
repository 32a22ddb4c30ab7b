using Recaps.Workflows.Hosting;

// The worker: runs RecapWorkflow and its activities on the configured Temporal task queue.
var builder = Host.CreateApplicationBuilder(args);
builder.AddRecapsCore();
builder.AddRecapsWorker();
await builder.Build().RunAsync();
