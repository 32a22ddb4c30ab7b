using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Recaps.Api.Hosting;
using Recaps.Tests.Api;
using Recaps.Tests.Embedded;

namespace Recaps.Tests.Web;

/// <summary>The web app's OIDC settings: served to its sign-in page when a web client is configured, checked at start.</summary>
public class WebSignInApiTests(PostgresFixture postgres)
{
    private static readonly (string, string?)[] WebClient =
    [
        ("Auth:SigningKey", null), ("Auth:Authority", "https://login.example.test/realms/acme"), ("Auth:WebClientId", "recaps-web"), ("Auth:WebScope", "openid profile"),
    ];

    [Fact]
    public async Task Settings_WithAWebClient_AreServedWithoutAToken_OutsideTheOpenApiDocument()
    {
        await using var api = await DevelopmentApi.StartAsync(postgres, ApiHost.Start, Environments.Production, WebClient);
        using var anonymous = api.Anonymous();

        var settings = await anonymous.GetJsonAsync("/web-app/sign-in");
        var document = await (await anonymous.GetAtAsync("/openapi/v1.json")).Content.ReadAsStringAsync(ApiCalls.Cancel);

        Assert.Equal(
            ("https://login.example.test/realms/acme", "recaps-web", "openid profile"),
            (settings.Text("authority"), settings.Text("clientId"), settings.Text("scope")));
        Assert.DoesNotContain("web-app", document, StringComparison.Ordinal);
        await (await anonymous.GetAtAsync("/demo/users")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://login.example.test/")]
    public async Task Settings_WithoutAWebClient_Are404(string? authority)
    {
        await using var api = await DevelopmentApi.StartAsync(
            postgres, ApiHost.Start, Environments.Production, ("Auth:SigningKey", authority is null ? ApiHost.SigningKey : null), ("Auth:Authority", authority));
        using var anonymous = api.Anonymous();

        await (await anonymous.GetAtAsync("/web-app/sign-in")).ProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string?, string?, string?, string> BadSettings => new()
    {
        { "a client without an authority", null, "recaps-web", null, "Auth:WebClientId needs Auth:Authority" },
        { "an http authority elsewhere", "http://login.example.test/", null, null, "Auth:Authority must be an absolute https address (http only on loopback)" },
        { "a relative authority", "login.example.test", null, null, "Auth:Authority must be an absolute https address" },
        { "a client id with a space", "https://login.example.test/", "recaps web", null, "Auth:WebClientId must be printable ASCII without spaces" },
        { "scopes without openid", "https://login.example.test/", "recaps-web", "profile email", "Auth:WebScope must be scopes separated by single spaces, 'openid' among them" },
        { "scopes two spaces apart", "https://login.example.test/", "recaps-web", "openid  profile", "Auth:WebScope must be scopes separated by single spaces" },
        { "no scope", "https://login.example.test/", "recaps-web", "", "Auth:WebScope must be scopes" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_WithABadWebSignInSetting_FailsNamingIt(string what, string? authority, string? clientId, string? scope, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Recaps"] = await postgres.Server.CreateDatabaseAsync(),
            ["Auth:SigningKey"] = authority is null ? ApiHost.SigningKey : null,
            ["Auth:Authority"] = authority,
            ["Auth:WebClientId"] = clientId,
        };
        if (scope is not null)
        {
            settings["Auth:WebScope"] = scope;
        }

        await using var app = EmbeddedHosts.Builder(Environments.Production, AppContext.BaseDirectory, settings).Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.UseRecapsApi().StartAsync(ApiCalls.Cancel));

        Assert.True(error.Message.Contains(message, StringComparison.Ordinal), $"{what}: {error.Message}");
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/")]
    [InlineData("http://localhost:1/realms/acme")]
    [InlineData("http://[::1]:1/")]
    public async Task Start_WithAnHttpAuthorityOnLoopback_Starts(string authority)
    {
        await using var api = await DevelopmentApi.StartAsync(postgres, ApiHost.Start, Environments.Production, ("Auth:SigningKey", null), ("Auth:Authority", authority));
        using var anonymous = api.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAtAsync("/health/live")).StatusCode);
    }
}
