using System.Net;
using System.Text.Json;
using NodaTime;

namespace Recaps.Tests.Api;

/// <summary><c>GET /v1/schedules</c>: light items unless <c>expand=temporal</c>, and pages by an opaque cursor.</summary>
public class ScheduleListApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task List_PagedWhileOthersAreCreatedAndDeleted_CoversEveryRemainingScheduleOnceNewestFirst()
    {
        await using var api = await ApiHost.StartAsync(postgres, ("Recaps:Limits:MaxSchedulesPerUser", "50"));
        using var alice = api.As("alice");
        var existing = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            existing.Add((await alice.CreateScheduleAsync(ScheduleBodies.Weekdays().With("title", $"schedule {i}"))).Id());
            // Pairs created at the same instant: their order is the id's.
            if (i % 2 == 1)
            {
                api.Clock.Advance(Duration.FromMinutes(1));
            }
        }

        var newestFirst = (await alice.GetJsonAsync("/v1/schedules")).GetProperty("items").EnumerateArray().Select(s => s.Id()).ToList();
        Assert.Equal(existing.ToHashSet(), newestFirst.ToHashSet());

        var seen = new List<string>();
        var deletedUnseen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await alice.GetJsonAsync($"/v1/schedules?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            var items = page.GetProperty("items").EnumerateArray().Select(s => s.Id()).ToList();
            Assert.InRange(items.Count, 1, 2);
            seen.AddRange(items);
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;

            // Between pages: a new schedule (newer than every page) and, once, the delete of one seen and one not yet seen.
            await alice.CreateScheduleAsync(ScheduleBodies.Weekdays().With("title", $"created after page {pages}"));
            api.Clock.Advance(Duration.FromMinutes(1));
            if (pages == 2)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAtAsync($"/v1/schedules/{seen[0]}")).StatusCode);
                var unseen = newestFirst[^2];
                Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAtAsync($"/v1/schedules/{unseen}")).StatusCode);
                deletedUnseen.Add(unseen);
            }
        }
        while (cursor is not null);

        Assert.Equal(newestFirst.Except(deletedUnseen), seen);
        // 8 remaining in pages of 2; the last page knows nothing follows.
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task List_ExactlyOnePageOfSchedules_HasNoNextCursor()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        await alice.CreateScheduleAsync();
        await alice.CreateScheduleAsync();

        var page = await alice.GetJsonAsync("/v1/schedules?limit=2");

        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task List_LeavesOutTheTemporalViewUnlessExpanded_GetOneAlwaysHasIt()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var created = await alice.CreateScheduleAsync();

        var light = Assert.Single((await alice.GetJsonAsync("/v1/schedules")).GetProperty("items").EnumerateArray());
        var expanded = Assert.Single((await alice.GetJsonAsync("/v1/schedules?expand=temporal")).GetProperty("items").EnumerateArray());
        var one = await alice.GetJsonAsync($"/v1/schedules/{created.Id()}");

        Assert.Equal(JsonValueKind.Null, light.GetProperty("temporal").ValueKind);
        // What the schedules page reads is all there without the view.
        Assert.Equal(created.GetProperty("nextRuns").ToString(), light.GetProperty("nextRuns").ToString());
        Assert.Equal("pending", light.GetProperty("sync").Text("state"));
        Assert.Equal("active", light.Text("status"));
        Assert.Equal(created.ToString(), expanded.ToString());
        Assert.Equal(created.ToString(), one.ToString());
        Assert.Equal($"recap-schedule-{created.Id()}", expanded.GetProperty("temporal").Text("scheduleId"));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D", "cursor")]
    [InlineData("expand=runs", "expand")]
    public async Task List_BadParameter_Is400NamingIt(string query, string field)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        await alice.CreateScheduleAsync();

        await (await alice.GetAtAsync($"/v1/schedules?{query}")).ValidationProblemAsync(field);
    }

    [Fact]
    public async Task List_ACursorNeverIssued_IsAPositionLikeAnyOther()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        await alice.CreateScheduleAsync();

        // Zero bytes: 1970, before every schedule, so nothing follows it; the largest time: past the newest.
        var none = await alice.GetJsonAsync($"/v1/schedules?cursor={new string('A', 32)}");
        var all = await alice.GetJsonAsync($"/v1/schedules?cursor=f{new string('_', 31)}");

        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
        Assert.Equal(1, all.GetProperty("items").GetArrayLength());
    }
}
