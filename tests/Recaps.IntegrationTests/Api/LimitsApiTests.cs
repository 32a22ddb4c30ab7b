using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Recaps.Tests.Api;

/// <summary>What the API refuses to take on: too many schedules, too large or non-JSON bodies, too many requests.</summary>
public class LimitsApiTests(PostgresFixture postgres)
{
    /// <summary>A create body whose title takes it past 64 KiB.</summary>
    private static string OversizedBody() =>
        JsonSerializer.Serialize(ScheduleBodies.Weekdays().With("title", new string('t', 65 * 1024)));

    [Fact]
    public async Task Create_PastMaxSchedulesPerUser_Is409AndStoresNothing()
    {
        await using var api = await ApiHost.StartAsync(postgres, ("Recaps:Limits:MaxSchedulesPerUser", "2"));
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        await alice.CreateScheduleAsync();
        await alice.CreateScheduleAsync();

        var refused = await alice.PostAtAsync("/v1/schedules", ScheduleBodies.Weekdays());

        var problem = await refused.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("MaxSchedulesPerUser", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(2, await api.CountAsync("schedules"));
        Assert.Equal(2, await api.CountAsync("schedule_outbox"));
        await bob.CreateScheduleAsync();
    }

    [Fact]
    public async Task Create_AfterDeletingAtTheLimit_IsAllowedAgain()
    {
        await using var api = await ApiHost.StartAsync(postgres, ("Recaps:Limits:MaxSchedulesPerUser", "1"));
        using var alice = api.As("alice");
        var first = await alice.CreateScheduleAsync();
        await (await alice.PostAtAsync("/v1/schedules", ScheduleBodies.Weekdays())).ProblemAsync(HttpStatusCode.Conflict);

        await alice.DeleteAtAsync($"/v1/schedules/{first.Id()}");

        await alice.CreateScheduleAsync();
    }

    [Fact]
    public async Task Create_ConcurrentRequestsAtTheLimit_StoreNoMoreThanTheLimit()
    {
        await using var api = await ApiHost.StartAsync(postgres, ("Recaps:Limits:MaxSchedulesPerUser", "3"));
        using var alice = api.As("alice");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => alice.PostAtAsync("/v1/schedules", ScheduleBodies.Weekdays())));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(3, await api.CountAsync("schedules"));
    }

    [Fact]
    public async Task Create_BodyOver64KiBWithContentLength_Is413AndStoresNothing()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var content = new StringContent(OversizedBody(), Encoding.UTF8, "application/json");

        var response = await alice.PostAsync(ApiCalls.Url("/v1/schedules"), content, ApiCalls.Cancel);

        Assert.NotNull(content.Headers.ContentLength);
        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await api.CountAsync("schedules"));
    }

    [Fact]
    public async Task Create_ChunkedBodyOver64KiB_Is413AndStoresNothing()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        // A stream of unknown length goes out chunked, without Content-Length.
        using var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(OversizedBody())));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await alice.PostAsync(ApiCalls.Url("/v1/schedules"), content, ApiCalls.Cancel);

        Assert.Null(content.Headers.ContentLength);
        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await api.CountAsync("schedules"));
    }

    [Fact]
    public async Task Create_ChunkedBodyUnder64KiB_IsRead()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var content = new StreamContent(new UnknownLengthStream(JsonSerializer.SerializeToUtf8Bytes(ScheduleBodies.Weekdays())));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await alice.PostAsync(ApiCalls.Url("/v1/schedules"), content, ApiCalls.Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task Create_NonJsonContentType_Is415AndStoresNothing(string contentType)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var response = await alice.SendRawAsync(HttpMethod.Post, "/v1/schedules", JsonSerializer.Serialize(ScheduleBodies.Weekdays()), contentType);

        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await api.CountAsync("schedules"));
    }

    [Fact]
    public async Task Calls_PastThePerUserRateLimit_Are429WithRetryAfterAndOtherUsersAreNotLimited()
    {
        await using var api = await ApiHost.StartAsync(postgres, ("Recaps:RateLimit:PermitLimit", "3"), ("Recaps:RateLimit:Window", "00:10:00"));
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await alice.GetAtAsync("/v1/schedules")).StatusCode);
        }

        var refused = await alice.PostAtAsync("/v1/schedules", ScheduleBodies.Weekdays());

        await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Assert.Equal(0, await api.CountAsync("schedules"));
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAtAsync("/v1/schedules")).StatusCode);
        await (await alice.GetAtAsync("/v1/recaps")).ProblemAsync(HttpStatusCode.TooManyRequests);
    }

    /// <summary>A readable stream that will not tell its length, so the client must send it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
