using System.Net;
using System.Security.Cryptography;
using System.Text;
using Recaps.Api.Schedules;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Api;

/// <summary><c>Idempotency-Key</c> on create: a retried request creates one schedule.</summary>
public class IdempotencyApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Create_SameKeySameBody_Is201WithTheSameScheduleAndStoresOne()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var first = await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "retry-1");
        var second = await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "retry-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var (one, two) = (await first.JsonAsync(), await second.JsonAsync());
        Assert.Equal(one.Id(), two.Id());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await api.CountAsync("schedules"));
        Assert.Equal(1, await api.CountAsync("schedule_outbox"));
    }

    [Fact]
    public async Task Create_SameKeySameIntentSpelledDifferently_IsTheSameSchedule()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var body = ScheduleBodies.Weekdays();

        var first = await (await alice.CreateWithKeyAsync(body, "retry-1")).JsonAsync();
        var second = await alice.CreateWithKeyAsync(
            body.With("daysOfWeek", ScheduleBodies.List("Monday", "TUESDAY", "wednesday", "thursday", "friday")).Without("agent"), "retry-1");

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(first.Id(), (await second.JsonAsync()).Id());
        Assert.Equal(1, await api.CountAsync("schedules"));
    }

    [Fact]
    public async Task Create_SameKeySameBodyAfterItsSkipDatePassed_IsTheSameSchedule()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        // Wednesday 2026-03-04 in New York, two days after the host's start; a week later it has passed.
        var body = ScheduleBodies.Weekdays().With("skipDates", ScheduleBodies.List("2026-03-04"));
        var first = await (await alice.CreateWithKeyAsync(body, "retry-1")).JsonAsync();
        api.Clock.Advance(NodaTime.Duration.FromDays(7));

        var second = await alice.CreateWithKeyAsync(body, "retry-1");

        Assert.Equal(["2026-03-04"], first.GetProperty("skipDates").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(first.Id(), (await second.JsonAsync()).Id());
        Assert.Equal(1, await api.CountAsync("schedules"));
    }

    [Fact]
    public void Digest_OfABodyWithoutTheLaterFields_IsTheOneKeysWereStoredWithBeforeThem()
    {
        var body = new ScheduleIntentInput("Standup digest", ["monday"], "09:00", "America/New_York", "specific", ["dev"], true, "extractive", null);
        var intent = new ScheduleIntent("Standup digest", new WeekdaySet(0b10), new NodaTime.LocalTime(9, 0), "America/New_York", ChannelMode.Specific, ["dev"], true, "extractive", null);
        var before = string.Join('\n', "Standup digest", intent.DaysOfWeek.Bits, "09:00", "America/New_York", "specific", "dev", true, "extractive", null);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(before))), ScheduleValidation.Digest(intent, body));
        Assert.NotEqual(ScheduleValidation.Digest(intent, body), ScheduleValidation.Digest(intent with { SkipIfEmpty = true }, body));
    }

    [Fact]
    public async Task Create_SameKeyDifferentBody_Is409AndStoresNothingMore()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "retry-1");

        var reused = await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays().With("title", "Another digest"), "retry-1");

        var problem = await reused.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("Idempotency-Key", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(1, await api.CountAsync("schedules"));
    }

    [Fact]
    public async Task Create_SameKeyByAnotherUser_IsTheirOwnSchedule()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var bob = api.As("bob");

        var hers = await (await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "retry-1")).JsonAsync();
        var his = await bob.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "retry-1");

        Assert.Equal(HttpStatusCode.Created, his.StatusCode);
        var schedule = await his.JsonAsync();
        Assert.NotEqual(hers.Id(), schedule.Id());
        Assert.Equal("bob", schedule.Text("userId"));
    }

    [Fact]
    public async Task Create_KeyOfADeletedSchedule_Is409()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var first = await (await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "retry-1")).JsonAsync();
        await alice.DeleteAtAsync($"/v1/schedules/{first.Id()}");

        var again = await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "retry-1");

        await again.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(0, (await alice.GetJsonAsync("/v1/schedules")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Create_EightConcurrentRequestsWithOneKey_StoreOneSchedule()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => alice.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "retry-1")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).Id()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await api.CountAsync("schedules"));
        Assert.Equal(1, await api.CountAsync("schedule_outbox"));
    }

    [Fact]
    public async Task Create_ReplayAtTheScheduleLimit_StillReturnsTheSchedule()
    {
        await using var api = await ApiHost.StartAsync(postgres, ("Recaps:Limits:MaxSchedulesPerUser", "1"));
        using var alice = api.As("alice");
        var first = await (await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "retry-1")).JsonAsync();

        var replay = await alice.CreateWithKeyAsync(ScheduleBodies.Weekdays(), "retry-1");

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(first.Id(), (await replay.JsonAsync()).Id());
    }
}
