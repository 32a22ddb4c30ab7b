using Recaps.Api.Embedded;
using Recaps.Api.Hosting;
using Recaps.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddRecapsApi();
EmbeddedMode? embedded = null;
try
{
    WebApplication app;
    try
    {
        // In Development: the worker and the sync too, and whatever dependency is not configured.
        embedded = await EmbeddedMode.StartAsync(builder);
        app = builder.Build();
        app.UseRecapsApi();
        await app.StartAsync();
    }
    catch (Exception error) when (StartupFailure.IsOperators(error))
    {
        await Console.Error.WriteLineAsync($"Recaps.Api cannot start: {error.Message}");
        return 1;
    }

    await using (app)
    {
        await app.WaitForShutdownAsync();
    }

    return 0;
}
finally
{
    if (embedded is not null)
    {
        await embedded.DisposeAsync();
    }
}

/// <summary>Entry point; public so functional tests can host the API.</summary>
public partial class Program;
