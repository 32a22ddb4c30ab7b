using System.Net;
using System.Text.Json;

namespace Recaps.Tests.Api;

public class DeliveryApiTests(PostgresFixture postgres)
{
    private static readonly object Webhook = new { type = "webhook", url = "https://chat.example.com/hooks/abc?x=1", secret = "0123456789abcdef" };

    [Fact]
    public async Task Get_NeverChosen_IsInAppAlone()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var delivery = await alice.GetJsonAsync("/v1/me/delivery");

        Assert.Equal("""[{"type":"inApp","url":null,"address":null}]""", delivery.GetProperty("targets").GetRawText());
    }

    [Fact]
    public async Task Put_Targets_AreKeptPerUserInOrderOnceEach_AndTheSecretIsNeverShown()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var bob = api.As("bob");

        var put = await alice.PutAtAsync("/v1/me/delivery", new
        {
            targets = new object[] { Webhook, new { type = "email", address = "alice@example.com" }, new { type = "inApp" }, Webhook },
        });
        var got = await alice.GetJsonAsync("/v1/me/delivery");
        var bobs = await bob.GetJsonAsync("/v1/me/delivery");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        const string Expected = """[{"type":"webhook","url":"https://chat.example.com/…","address":null},{"type":"email","url":null,"address":"alice@example.com"},{"type":"inApp","url":null,"address":null}]""";
        Assert.Equal(Expected, (await put.JsonAsync()).GetProperty("targets").GetRawText());
        Assert.Equal(Expected, got.GetProperty("targets").GetRawText());
        Assert.DoesNotContain("0123456789abcdef", got.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("hooks/abc", got.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(1, bobs.GetProperty("targets").GetArrayLength());
    }

    [Theory]
    [InlineData("""{ }""", "targets")]
    [InlineData("""{ "targets": [] }""", "targets")]
    [InlineData("""{ "targets": [{ "type": "inApp" }, { "type": "inApp" }, { "type": "inApp" }, { "type": "inApp" }, { "type": "inApp" }, { "type": "inApp" }] }""", "targets")]
    [InlineData("""{ "targets": [{ "type": "sms" }] }""", "targets[0].type")]
    [InlineData("""{ "targets": [null] }""", "targets[0].type")]
    [InlineData("""{ "targets": [{ "type": "inApp" }, { "type": "webhook", "url": "http://chat.example.com/h", "secret": "0123456789abcdef" }] }""", "targets[1].url")]
    [InlineData("""{ "targets": [{ "type": "webhook", "url": "https://user:pw@chat.example.com/h", "secret": "0123456789abcdef" }] }""", "targets[0].url")]
    [InlineData("""{ "targets": [{ "type": "webhook", "url": "https://chat.example.com/h#frag", "secret": "0123456789abcdef" }] }""", "targets[0].url")]
    [InlineData("""{ "targets": [{ "type": "webhook", "url": "https://chat.example.com:70000/h", "secret": "0123456789abcdef" }] }""", "targets[0].url")]
    [InlineData("""{ "targets": [{ "type": "webhook", "url": "https://chat.example.com/h", "secret": "short" }] }""", "targets[0].secret")]
    [InlineData("""{ "targets": [{ "type": "webhook", "url": "https://chat.example.com/h" }] }""", "targets[0].secret")]
    [InlineData("""{ "targets": [{ "type": "email", "address": "alice" }] }""", "targets[0].address")]
    [InlineData("""{ "targets": [{ "type": "email", "address": "alice@example.com\n" }] }""", "targets[0].address")]
    [InlineData("""{ "targets": [{ "type": "webhook", "url": "https://chat.example.com/h", "secret": "0123456789abcdef\n" }] }""", "targets[0].secret")]
    [InlineData("""{ "targets": [{ "type": "email", "address": "Alice <alice@example.com>" }] }""", "targets[0].address")]
    [InlineData("""{ "targets": [{ "type": "email", "address": "alice@example.com", "url": "https://chat.example.com/h" }] }""", "targets[0]")]
    [InlineData("""{ "targets": [{ "type": "inApp", "secret": "0123456789abcdef" }] }""", "targets[0]")]
    public async Task Put_Invalid_Is400NamingTheFieldAndKeepsWhatWasThere(string body, string field)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        Assert.Equal(HttpStatusCode.OK, (await alice.PutAtAsync("/v1/me/delivery", new { targets = new[] { new { type = "email", address = "alice@example.com" } } })).StatusCode);

        var errors = await (await alice.SendRawAsync(HttpMethod.Put, "/v1/me/delivery", body)).ValidationProblemAsync(field);

        Assert.StartsWith(field, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("email", (await alice.GetJsonAsync("/v1/me/delivery")).GetProperty("targets")[0].Text("type"));
    }

    [Fact]
    public async Task Put_HttpWebhook_IsAcceptedWherePrivateAddressesAreAllowed()
    {
        await using var api = await ApiHost.StartAsync(postgres, ("Recaps:Delivery:AllowPrivateWebhookAddresses", "true"));
        using var alice = api.As("alice");

        var put = await alice.PutAtAsync("/v1/me/delivery", new { targets = new[] { new { type = "webhook", url = "http://mattermost:8065/hooks/x", secret = "0123456789abcdef" } } });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var document = await alice.GetJsonAsync("/openapi/v1.json");
        Assert.Contains("https?://", document.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, document.ValueKind);
    }
}
