using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Recaps.Api.Auth;
using Recaps.Api.Embedded;
using Recaps.Tests.Api;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Storage;

namespace Recaps.Tests.Embedded;

public class DemoDataTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Start_Twice_SeedsChannelsPostsAndOneScheduleOnce()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        var demo = Demo(api);

        await demo.StartAsync(ApiCalls.Cancel);
        await demo.StartAsync(ApiCalls.Cancel);

        var channels = await api.Services.GetRequiredService<PostgresChatStore>().ReadableChannelsAsync(DemoIdentity.User, ApiCalls.Cancel);
        Assert.Equal(["design", "engineering", "general"], channels.Select(c => c.Id).Order());
        Assert.Equal(9, await api.CountAsync("posts"));
        var schedule = Assert.Single(await api.Services.GetRequiredService<ScheduleRepository>().ListAsync(DemoIdentity.User, ApiCalls.Cancel));
        Assert.Equal("Morning digest", schedule.Intent.Title);
        Assert.Equal(new LocalTime(9, 0), schedule.Intent.TimeOfDay);
        Assert.Equal(MachineTimeZone.Find().Id, schedule.Intent.TimeZoneId);
        // Its outbox row is what puts it on Temporal.
        Assert.Equal(1, await api.CountAsync("schedule_outbox"));
    }

    [Fact]
    public async Task DemoToken_WithEmbeddedKey_ReadsTheDemoScheduleAndMayWriteChannels()
    {
        var folder = Directory.CreateTempSubdirectory("recaps-demo-").FullName;
        var key = DemoIdentity.LoadOrCreateSigningKey(folder);
        Directory.Delete(folder, recursive: true);
        await using var api = await ApiHost.StartAsync(postgres, ("Auth:SigningKey", key));
        await Demo(api).StartAsync(ApiCalls.Cancel);
        using var client = api.WithToken(DemoIdentity.Token(new AuthOptions { SigningKey = key }, DateTime.UtcNow));

        var schedules = await client.GetJsonAsync("/v1/schedules");
        var channelWrite = await client.PutAtAsync("/v1/channels/support", new { name = "Support", memberIds = new[] { DemoIdentity.User } });

        Assert.Equal("Morning digest", schedules.GetProperty("items")[0].GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, channelWrite.StatusCode);
    }

    private static DemoData Demo(ApiHost api) => new(
        api.Services.GetRequiredService<PostgresChatStore>(),
        api.Services.GetRequiredService<ScheduleRepository>(),
        api.Clock,
        NullLogger<DemoData>.Instance);
}
