using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Recaps.Api.Auth;
using Recaps.Api.Embedded;
using Recaps.Api.Hosting;
using Recaps.Tests.Api;
using Recaps.Tests.Embedded;
using Recaps.Workflows.Temporal;
using Temporalio.Client;

namespace Recaps.Tests.EndToEnd;

/// <summary>What <c>dotnet run --project Recaps.Api</c> does in Development, composed as Program composes it.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class EmbeddedEndToEndTests(TemporalServerFixture temporal) : IDisposable
{
    private readonly string _contentRoot = EmbeddedHosts.CreateFolder("recaps-embedded-e2e-");

    [Fact]
    public async Task EmbeddedMode_WithOnlyATemporalServer_ServesTheDemoScheduleSyncedToTemporal()
    {
        var server = temporal.Require();
        var builder = EmbeddedHosts.Builder(Environments.Development, _contentRoot, new Dictionary<string, string?>
        {
            ["Temporal:Address"] = server.Address,
            ["Temporal:Namespace"] = server.Namespace,
            ["Temporal:TaskQueue"] = $"recaps-e2e-{Guid.NewGuid():N}",
            ["Recaps:Sync:PollInterval"] = "00:00:00.250",
        });
        await using var embedded = await EmbeddedMode.StartAsync(builder, ApiCalls.Cancel);
        await using var app = builder.Build();
        app.UseRecapsApi();
        await app.StartAsync(ApiCalls.Cancel);

        using var demo = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        demo.DefaultRequestHeaders.Authorization = new("Bearer", DemoIdentity.Token(new AuthOptions { SigningKey = app.Configuration["Auth:SigningKey"] }, DateTime.UtcNow));
        var schedules = await Eventually.UntilAsync(
            "the demo schedule to be synced to Temporal",
            () => demo.GetJsonAsync("/v1/schedules"),
            list => list.GetProperty("items").EnumerateArray().Any(s => s.GetProperty("sync").Text("state") == "synced"));
        var schedule = Assert.Single(schedules.GetProperty("items").EnumerateArray());
        var described = await app.Services.GetRequiredService<ITemporalClient>()
            .GetScheduleHandle(TemporalScheduleSpecTranslator.ScheduleId(Guid.Parse(schedule.Id()))).DescribeAsync();
        await app.StopAsync(ApiCalls.Cancel);
        await EndToEndWorld.DeleteTemporalSchedulesAsync(app.Services.GetRequiredService<ITemporalClient>(), app.Services.GetRequiredService<NpgsqlDataSource>());

        Assert.NotNull(embedded);
        Assert.StartsWith($"private cluster in {Path.Combine(_contentRoot, ".recaps", "postgres")}", embedded.DatabaseDescription, StringComparison.Ordinal);
        Assert.Equal("Morning digest", schedule.Text("title"));
        Assert.Equal(TemporalScheduleSpecTranslator.ManagedNote, described.Schedule.State.Note);
        Assert.Equal(["general", "engineering"], schedule.GetProperty("channelIds").EnumerateArray().Select(c => c.GetString()));
    }

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);
}
