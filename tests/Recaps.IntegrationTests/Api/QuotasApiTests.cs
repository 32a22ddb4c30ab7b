using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Recaps.Tests.Embedded;

namespace Recaps.Tests.Api;

/// <summary>
/// Per-user hourly quotas on run-nows and on schedule creates and deletes: the per-schedule
/// cooldown alone lets a create → run → delete loop go on without end.
/// </summary>
public class QuotasApiTests(PostgresFixture postgres)
{
    private static readonly (string, string?) NoCooldown = ("Recaps:Limits:RunNowCooldown", "00:00:00");

    private static (string, string?) RunNows(int perHour) => ("Recaps:Quotas:RunNowsPerHour", perHour.ToString(CultureInfo.InvariantCulture));

    private static (string, string?) Changes(int perHour) => ("Recaps:Quotas:ScheduleChangesPerHour", perHour.ToString(CultureInfo.InvariantCulture));

    /// <summary>Asserts a 429 naming the quota's setting and limit, and returns its Retry-After.</summary>
    private static async Task<TimeSpan> OverQuotaAsync(HttpResponseMessage response, string setting, string limit)
    {
        var problem = await response.ProblemAsync(HttpStatusCode.TooManyRequests);
        var detail = problem.Text("detail");
        Assert.Contains(setting, detail, StringComparison.Ordinal);
        Assert.Contains(limit, detail, StringComparison.Ordinal);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.Contains($"retry after {(int)retryAfter.Value.TotalSeconds} s", detail, StringComparison.Ordinal);
        return retryAfter.Value;
    }

    private static Task<HttpResponseMessage> RunNowAsync(HttpClient client, JsonElement schedule) => client.PostAtAsync($"/v1/schedules/{schedule.Id()}/run");

    [Fact]
    public async Task CreateRunDeleteLoop_PastRunNowsPerHour_Is429UntilTheFirstRunNowLeavesTheHour()
    {
        await using var api = await ApiHost.StartAsync(postgres, NoCooldown, RunNows(3), Changes(100));
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        for (var loop = 0; loop < 3; loop++)
        {
            var created = await alice.CreateScheduleAsync();
            Assert.Equal(HttpStatusCode.Accepted, (await RunNowAsync(alice, created)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAtAsync($"/v1/schedules/{created.Id()}")).StatusCode);
            api.Clock.Advance(Duration.FromMinutes(1));
        }

        // The three run-nows counted were of schedules deleted since.
        var fourth = await alice.CreateScheduleAsync();
        var refused = await RunNowAsync(alice, fourth);

        var retryAfter = await OverQuotaAsync(refused, "Recaps:Quotas:RunNowsPerHour", "At most 3 run-nows per hour per user");
        Assert.Equal(TimeSpan.FromMinutes(57), retryAfter);
        Assert.Equal(HttpStatusCode.Accepted, (await RunNowAsync(bob, await bob.CreateScheduleAsync())).StatusCode);

        api.Clock.Advance(Duration.FromTimeSpan(retryAfter) - Duration.FromSeconds(1));
        await OverQuotaAsync(await RunNowAsync(alice, fourth), "Recaps:Quotas:RunNowsPerHour", "At most 3 run-nows per hour per user");
        api.Clock.Advance(Duration.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Accepted, (await RunNowAsync(alice, fourth)).StatusCode);
    }

    [Fact]
    public async Task CreateAndDelete_PastScheduleChangesPerHour_Are429UntilTheOldestChangeLeavesTheHour()
    {
        await using var api = await ApiHost.StartAsync(postgres, Changes(4));
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        var first = await alice.CreateScheduleAsync();
        api.Clock.Advance(Duration.FromMinutes(10));
        await alice.DeleteAtAsync($"/v1/schedules/{first.Id()}");
        var kept = await alice.CreateScheduleAsync();
        api.Clock.Advance(Duration.FromMinutes(5));
        await alice.CreateScheduleAsync();

        const string limit = "At most 4 schedule creates and deletes per hour per user";
        var create = await alice.PostAtAsync("/v1/schedules", ScheduleBodies.Weekdays());
        var delete = await alice.DeleteAtAsync($"/v1/schedules/{kept.Id()}");

        Assert.Equal(TimeSpan.FromMinutes(45), await OverQuotaAsync(create, "Recaps:Quotas:ScheduleChangesPerHour", limit));
        Assert.Equal(TimeSpan.FromMinutes(45), await OverQuotaAsync(delete, "Recaps:Quotas:ScheduleChangesPerHour", limit));
        Assert.Equal(2, (await alice.GetJsonAsync("/v1/schedules")).GetProperty("items").GetArrayLength());
        await bob.CreateScheduleAsync();

        api.Clock.Advance(Duration.FromMinutes(45));
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAtAsync($"/v1/schedules/{kept.Id()}")).StatusCode);
        // The first create has left the hour, its delete not yet: the quota is full again.
        await OverQuotaAsync(await alice.PostAtAsync("/v1/schedules", ScheduleBodies.Weekdays()), "Recaps:Quotas:ScheduleChangesPerHour", limit);
    }

    [Fact]
    public async Task Refusals_StoreNothingAndARefusedKeyWorksOnceTheHourPasses()
    {
        await using var api = await ApiHost.StartAsync(postgres, NoCooldown, RunNows(1), Changes(2));
        using var alice = api.As("alice");
        var replayed = await (await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "first")).JsonAsync();
        var live = await alice.CreateScheduleAsync();
        await RunNowAsync(alice, live);
        string[] tables = ["schedules", "schedule_outbox", "schedule_runs", "idempotency_keys"];
        var before = await Task.WhenAll(tables.Select(api.CountAsync));

        var create = await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays().With("title", "Later"), "later");
        var delete = await alice.DeleteAtAsync($"/v1/schedules/{live.Id()}");
        var run = await RunNowAsync(alice, live);
        var replay = await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "first");

        Assert.Equal(HttpStatusCode.TooManyRequests, create.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, delete.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, run.StatusCode);
        // A replay stores nothing, so the quota does not stop it.
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(replayed.Id(), (await replay.JsonAsync()).Id());
        Assert.Equal(before, await Task.WhenAll(tables.Select(api.CountAsync)));

        api.Clock.Advance(Duration.FromHours(1));
        var retried = await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays().With("title", "Later"), "later");

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal("Later", (await retried.JsonAsync()).Text("title"));
    }

    [Fact]
    public async Task RunNow_ConcurrentRequestsOnSeveralSchedules_NeverPassTheQuota()
    {
        await using var api = await ApiHost.StartAsync(postgres, NoCooldown, RunNows(5));
        using var alice = api.As("alice");
        var schedules = new List<JsonElement>();
        for (var i = 0; i < 8; i++)
        {
            schedules.Add(await alice.CreateScheduleAsync());
        }

        // The schedules' rows held until every request waits on a lock, so they are all under way
        // together: without the user's lock, one per schedule would count at the same moment.
        const int requests = 32;
        Task<HttpResponseMessage[]> responses;
        await using (var hold = await api.Database.OpenConnectionAsync(ApiCalls.Cancel))
        await using (var transaction = await hold.BeginTransactionAsync(ApiCalls.Cancel))
        {
            await using (var lockRows = new NpgsqlCommand("SELECT id FROM schedules FOR UPDATE", hold, transaction))
            {
                await lockRows.ExecuteNonQueryAsync(ApiCalls.Cancel);
            }

            responses = Task.WhenAll(Enumerable.Range(0, requests).Select(i => RunNowAsync(alice, schedules[i % schedules.Count])));
            await WaitingOnLocksAsync(api, requests);
            await transaction.CommitAsync(ApiCalls.Cancel);
        }

        Assert.Equal(5, (await responses).Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(requests - 5, (await responses).Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(5, await api.CountAsync("schedule_runs"));
        Assert.Equal(5, await api.CountAsync("schedule_outbox WHERE operation = 'run'"));
    }

    /// <summary>Returns once <paramref name="count"/> sessions on the API's database wait on a lock.</summary>
    private static async Task WaitingOnLocksAsync(ApiHost api, int count)
    {
        await using var waiting = api.Database.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        while ((long)(await waiting.ExecuteScalarAsync(ApiCalls.Cancel))! < count)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), ApiCalls.Cancel);
        }
    }

    [Fact]
    public async Task CreateAndDelete_ConcurrentRequests_NeverPassTheQuota()
    {
        await using var api = await ApiHost.StartAsync(postgres, Changes(6));
        using var alice = api.As("alice");
        var first = await alice.CreateScheduleAsync();
        var second = await alice.CreateScheduleAsync();

        var creates = Enumerable.Range(0, 8).Select(_ => alice.PostAtAsync("/v1/schedules", ScheduleBodies.Weekdays()));
        var deletes = new[] { first, second }.Select(s => alice.DeleteAtAsync($"/v1/schedules/{s.Id()}"));
        var responses = await Task.WhenAll(creates.Concat(deletes));

        Assert.Equal(4, responses.Count(r => r.StatusCode is HttpStatusCode.Created or HttpStatusCode.NoContent));
        Assert.Equal(6, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(6, await api.CountAsync("schedule_outbox"));
    }

    [Fact]
    public async Task RunNow_ByAnAdmin_IsLimitedLikeAnyUser()
    {
        await using var api = await ApiHost.StartAsync(postgres, NoCooldown, RunNows(1));
        using var admin = api.As(ApiHost.Admin, admin: true);
        var created = await admin.CreateScheduleAsync();
        await RunNowAsync(admin, created);

        await OverQuotaAsync(await RunNowAsync(admin, created), "Recaps:Quotas:RunNowsPerHour", "At most 1 run-nows per hour per user");
    }

    [Theory]
    [InlineData("Recaps:Quotas:RunNowsPerHour", "0")]
    [InlineData("Recaps:Quotas:ScheduleChangesPerHour", "-1")]
    public async Task Start_WithAQuotaUnderOne_FailsNamingTheSetting(string setting, string value)
    {
        var builder = EmbeddedHosts.Builder(Environments.Production, AppContext.BaseDirectory, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Recaps"] = await postgres.Server.CreateDatabaseAsync(),
            ["Auth:SigningKey"] = ApiHost.SigningKey,
            [setting] = value,
        });
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(ApiCalls.Cancel));

        Assert.Contains($"{setting} must be at least 1.", error.Message, StringComparison.Ordinal);
    }
}
