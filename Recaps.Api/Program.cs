using Microsoft.Extensions.Options;
using Npgsql;
using Recaps.Api.Embedded;
using Recaps.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.AddRecapsApi();
    // In Development: the worker and the sync too, and whatever dependency is not configured.
    await using var embedded = await EmbeddedMode.StartAsync(builder);
    var app = builder.Build();
    app.UseRecapsApi();
    await app.RunAsync();
    return 0;
}
catch (Exception error) when (error is DependencyUnavailableException or OptionsValidationException or InvalidOperationException or NpgsqlException)
{
    // Configuration and dependency problems are the operator's to fix: say which, without a stack trace.
    await Console.Error.WriteLineAsync($"Recaps.Api cannot start: {error.Message}");
    return 1;
}

/// <summary>Entry point; public so functional tests can host the API.</summary>
public partial class Program;
