using System.Net;
using System.Text.Json;

namespace Recaps.Tests.Api;

/// <summary>A schedule's own delivery targets: checked as <c>/v1/me/delivery</c> checks them, stored with their secrets, shown without.</summary>
public class ScheduleDeliverToApiTests(PostgresFixture postgres)
{
    private const string SecretA = "first-secret-0123456789";
    private const string SecretB = "second-secret-0123456789";

    private static object Webhook(string? secret) => new { type = "webhook", url = "https://chat.example.com/hooks/abc?x=1", secret };

    [Fact]
    public async Task Create_WithDeliverTo_StoresTheSecretAndShowsTheTargetsWithoutIt()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = await AliceAsync(api);

        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev").With("deliverTo", new[] { Webhook(SecretA), new { type = "email", address = "team@example.com" } }));
        var got = await alice.GetJsonAsync($"/v1/schedules/{created.Id()}");

        const string Shown = """[{"type":"webhook","url":"https://chat.example.com/…","address":null},{"type":"email","url":null,"address":"team@example.com"}]""";
        Assert.Equal(Shown, created.GetProperty("deliverTo").GetRawText());
        Assert.Equal(Shown, got.GetProperty("deliverTo").GetRawText());
        Assert.DoesNotContain(SecretA, got.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("hooks/abc", (await alice.GetJsonAsync("/v1/schedules")).GetRawText(), StringComparison.Ordinal);
        Assert.Equal(SecretA, await StoredSecretAsync(api));
    }

    [Fact]
    public async Task Create_WithoutDeliverTo_LeavesItNullForTheUsersOwnTargets()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = await AliceAsync(api);

        var created = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"));

        Assert.Equal(JsonValueKind.Null, created.GetProperty("deliverTo").ValueKind);
    }

    [Theory]
    [InlineData("""[]""", "deliverTo")]
    [InlineData("""[{ "type": "sms" }]""", "deliverTo[0].type")]
    [InlineData("""[{ "type": "inApp" }, { "type": "webhook", "url": "http://chat.example.com/h", "secret": "0123456789abcdef" }]""", "deliverTo[1].url")]
    [InlineData("""[{ "type": "webhook", "url": "https://chat.example.com/h" }]""", "deliverTo[0].secret")]
    [InlineData("""[{ "type": "email", "address": "team" }]""", "deliverTo[0].address")]
    [InlineData("""[{ "type": "inApp", "address": "team@example.com" }]""", "deliverTo[0]")]
    public async Task Create_InvalidDeliverTo_Is400NamingTheFieldAndStoresNothing(string deliverTo, string field)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = await AliceAsync(api);
        var body = JsonSerializer.Serialize(ScheduleBodies.Weekdays("dev")).TrimEnd('}') + ", \"deliverTo\": " + deliverTo + "}";

        var errors = await (await alice.SendRawAsync(HttpMethod.Post, "/v1/schedules", body)).ValidationProblemAsync(field);

        Assert.StartsWith(field, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await api.CountAsync("schedules"));
    }

    [Fact]
    public async Task Update_WebhookWithoutItsSecret_Is400AndKeepsTheStoredSecret_AsTheUsersTargetsDo()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = await AliceAsync(api);
        var body = ScheduleBodies.Weekdays("dev").With("deliverTo", new[] { Webhook(SecretA) });
        var id = (await alice.CreateScheduleAsync(body)).Id();

        // What GET shows cannot be sent back: the secret (and the URL's path) are write-only, sent with every update.
        var withoutSecret = await alice.PutAtAsync($"/v1/schedules/{id}", body.With("deliverTo", new[] { Webhook(null) }));
        var keptSecret = await StoredSecretAsync(api);
        var replaced = await alice.PutAtAsync($"/v1/schedules/{id}", body.With("deliverTo", new[] { Webhook(SecretB) }));
        var newSecret = await StoredSecretAsync(api);
        var cleared = await alice.PutAtAsync($"/v1/schedules/{id}", body.Without("deliverTo"));

        await withoutSecret.ValidationProblemAsync("deliverTo[0].secret");
        Assert.Equal(SecretA, keptSecret);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(SecretB, newSecret);
        Assert.Equal(JsonValueKind.Null, (await cleared.JsonAsync()).GetProperty("deliverTo").ValueKind);
        Assert.Null(await StoredSecretAsync(api));
    }

    private static async Task<HttpClient> AliceAsync(ApiHost api)
    {
        await api.ChannelAsync("dev", "alice");
        return api.As("alice");
    }

    private static async Task<string?> StoredSecretAsync(ApiHost api)
    {
        await using var command = api.Database.CreateCommand("SELECT deliver_to -> 0 ->> 'Secret' FROM schedules");
        return await command.ExecuteScalarAsync(ApiCalls.Cancel) as string;
    }
}
