using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Recaps.Tests.Api;

public class SchedulesApiTests(PostgresFixture postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_ValidBody_Returns201WithLocationAndTheSchedule()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var response = await alice.PostAsJsonAsync("/v1/schedules", ScheduleBodies.Weekdays(), Cancel);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = body.GetProperty("id").GetString();
        Assert.Equal($"/v1/schedules/{id}", response.Headers.Location?.ToString());
        Assert.Equal("alice", body.GetProperty("userId").GetString());
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal("pending", body.GetProperty("sync").GetProperty("state").GetString());
        Assert.Equal(5, body.GetProperty("nextRuns").GetArrayLength());
        Assert.Equal("2026-03-02T14:00:00Z", body.GetProperty("nextRuns")[0].GetProperty("at").GetString());
        Assert.Equal("2026-03-02T09:00:00-05:00", body.GetProperty("nextRuns")[0].GetProperty("local").GetString());
        Assert.Equal($"recap-schedule-{id}", body.GetProperty("temporal").GetProperty("scheduleId").GetString());
        Assert.Equal(1, await api.CountAsync("schedule_outbox"));
    }
}
