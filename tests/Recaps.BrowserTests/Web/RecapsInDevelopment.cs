using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recaps.Api.Embedded;
using Recaps.Api.Hosting;
using Recaps.Testing;
using Recaps.Tests.Embedded;
using Recaps.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.Web;

/// <summary>
/// The whole of Recaps as <c>dotnet run --project Recaps.Api</c> starts it in Development: the API
/// with the web app, the worker, the sync and the demo data, on a Temporal dev server it starts from
/// the temporal CLI (RECAPS_TEMPORAL_CLI; .ci/run sets it) with its Web UI; on a database of its own
/// and the system clock. A CLI that is there but broken fails every test that uses it.
/// </summary>
public sealed class RecapsInDevelopment(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _folder = EmbeddedHosts.CreateFolder("recaps-browser-");
    private EmbeddedMode? _embedded;
    private WebApplication? _app;

    public Uri BaseAddress => new(App.Urls.First());

    /// <summary>The worker's Temporal client: what the server itself says about a schedule.</summary>
    public ITemporalClient Temporal => App.Services.GetRequiredService<ITemporalClient>();

    private WebApplication App => _app ?? throw new InvalidOperationException("Recaps has not started.");

    public async ValueTask InitializeAsync()
    {
        // The build output as content root, where the web app's files are; the dev server's data in a folder of its own.
        var builder = EmbeddedHosts.Builder(Environments.Development, AppContext.BaseDirectory, new Dictionary<string, string?>
        {
            ["Recaps:Embedded:DataFolder"] = _folder,
            ["ConnectionStrings:Recaps"] = await postgres.Server.CreateDatabaseAsync(),
            ["Recaps:Embedded:TemporalPort"] = LocalPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Recaps:Embedded:TemporalUiPort"] = LocalPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            // What the page shows follows Temporal within a second, not at the production intervals.
            ["Recaps:Sync:PollInterval"] = "00:00:00.250",
            ["Recaps:Sync:ReconcileInterval"] = "00:00:01",
        });
        _embedded = await EmbeddedMode.StartAsync(builder, TestContext.Current.CancellationToken);
        _app = builder.Build();
        _app.UseRecapsApi();
        await _app.StartAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The Temporal schedule the sync made for <paramref name="scheduleId"/>, as the server describes it.</summary>
    public Task<ScheduleDescription> DescribeAsync(string scheduleId) =>
        Temporal.GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(scheduleId))).DescribeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
