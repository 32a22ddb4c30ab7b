using Recaps.Api.Health;
using Recaps.Workflows.Hosting;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddRecapsCore();
builder.Services.AddOpenApi();
builder.Services.AddProblemDetails();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthApi.ReadyTag]);

var app = builder.Build();
app.UseExceptionHandler();
app.MapOpenApi();
app.MapScalarApiReference("/docs");
app.MapHealthApi();
await app.RunAsync();

/// <summary>Entry point; public so functional tests can host the API.</summary>
public partial class Program;
