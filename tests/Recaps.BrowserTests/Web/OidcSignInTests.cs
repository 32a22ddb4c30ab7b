using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;
using Recaps.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace Recaps.Tests.Web;

/// <summary>
/// Signing in outside Development: at the organisation's identity provider (the fake one, a real
/// HTTP server), with the authorization-code flow and PKCE, back to the schedules signed in; and
/// every answer that does not belong to the sign-in refused without a session.
/// </summary>
public class OidcSignInTests(PostgresFixture postgres, ChromiumFixture chromium)
{
    [Fact]
    public async Task SignIn_AtTheProvider_LandsOnTheSchedulesAsThatUser_WhoseApiCallsWork()
    {
        await using var provider = await FakeOidcProvider.StartAsync();
        await using var web = await WebAppSession.StartAtProviderAsync(postgres, chromium, provider);
        using var sam = web.Api.Anonymous();
        sam.DefaultRequestHeaders.Authorization = new("Bearer", provider.AccessTokenFor("sam"));
        await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Sam's digest"));
        var page = web.Page;

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(provider.Issuer + "/authorize?")));
        await SignInAtProviderAsync(page, "sam");

        await Expect(page).ToHaveURLAsync(web.Api.BaseAddress.ToString());
        await Expect(page.GetByText("Signed in as sam")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row).Filter(new() { HasText = "Sam's digest" })).ToBeVisibleAsync();
        Assert.Equal([null], provider.TokenRequests.Select(r => r.Refusal));
        Assert.Null(await StoredAsync(page, "recaps.sign-in"));
    }

    [Fact]
    public async Task Callback_WithAnotherState_IsRefused_ExchangesNoCode_AndLeavesNoSession()
    {
        await using var provider = await FakeOidcProvider.StartAsync();
        await using var web = await WebAppSession.StartAtProviderAsync(postgres, chromium, provider);
        var page = web.Page;
        await StartSignInAsync(web, provider);

        await page.GotoAsync($"/signed-in.html?code=forged&state=another&iss={Uri.EscapeDataString(provider.Issuer)}");

        await Expect(page.GetByText("does not belong to a sign-in started in this tab")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in again" })).ToBeFocusedAsync();
        Assert.Empty(provider.TokenRequests);
        await AssertNoSessionAsync(web);
    }

    [Theory]
    [InlineData("error=access_denied&error_description=Not+allowed+to+use+Recaps", "The identity provider refused the sign-in: Not allowed to use Recaps.")]
    [InlineData("code=stolen&iss=https%3A%2F%2Fevil.example.test", "The answer comes from https://evil.example.test, not from")]
    public async Task Callback_WithTheProvidersErrorOrFromAnotherIssuer_SaysSo_AndLeavesNoSession(string answer, string message)
    {
        await using var provider = await FakeOidcProvider.StartAsync();
        await using var web = await WebAppSession.StartAtProviderAsync(postgres, chromium, provider);
        var page = web.Page;
        var state = await StartSignInAsync(web, provider);

        await page.GotoAsync($"/signed-in.html?{answer}&state={state}");

        await Expect(page.GetByText(message)).ToBeVisibleAsync();
        Assert.Empty(provider.TokenRequests);
        await AssertNoSessionAsync(web);
    }

    [Fact]
    public async Task SignIn_WhoseIdTokenCarriesAnotherNonce_IsRefused_AndLeavesNoSession()
    {
        await using var provider = await FakeOidcProvider.StartAsync();
        await using var web = await WebAppSession.StartAtProviderAsync(postgres, chromium, provider);
        var page = web.Page;
        // An ID token replayed from another sign-in: everything right but the nonce this tab sent.
        await page.RouteAsync($"{provider.Issuer}/token", async route =>
        {
            var issued = await route.FetchAsync();
            var tokens = JsonNode.Parse(await issued.TextAsync())!;
            var parts = tokens["id_token"]!.GetValue<string>().Split('.');
            var claims = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
            claims["nonce"] = "from-another-sign-in";
            tokens["id_token"] = $"{parts[0]}.{Base64UrlEncoder.Encode(claims.ToJsonString())}.{parts[2]}";
            await route.FulfillAsync(new() { Response = issued, Body = tokens.ToJsonString() });
        });
        await StartSignInAsync(web, provider);

        await SignInAtProviderAsync(page, "sam");

        await Expect(page.GetByText("The identity provider's ID token is not for this sign-in")).ToBeVisibleAsync();
        Assert.Equal([null], provider.TokenRequests.Select(r => r.Refusal));
        await AssertNoSessionAsync(web);
    }

    [Fact]
    public async Task SignIn_WhoseVerifierTheProviderRefuses_SaysSo_AndLeavesNoSession()
    {
        await using var provider = await FakeOidcProvider.StartAsync();
        await using var web = await WebAppSession.StartAtProviderAsync(postgres, chromium, provider);
        var page = web.Page;
        // What an attacker holding an intercepted code lacks: the verifier this tab made.
        await page.RouteAsync($"{provider.Issuer}/token", route => route.ContinueAsync(new()
        {
            PostData = Encoding.UTF8.GetBytes(Regex.Replace(route.Request.PostData!, "code_verifier=[^&]+", "code_verifier=" + new string('x', 43))),
        }));
        await StartSignInAsync(web, provider);

        await SignInAtProviderAsync(page, "sam");

        await Expect(page.GetByText("The identity provider gave no tokens: invalid_grant.")).ToBeVisibleAsync();
        Assert.Equal(["invalid_grant"], provider.TokenRequests.Select(r => r.Refusal));
        await AssertNoSessionAsync(web);
    }

    /// <summary>Clicks "Sign in" and waits at the provider's login page; returns the state the page sent.</summary>
    private static async Task<string> StartSignInAsync(WebAppSession web, FakeOidcProvider provider)
    {
        await web.Page.GotoAsync("/sign-in.html");
        await web.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(web.Page.GetByLabel("User name")).ToBeVisibleAsync();
        Assert.StartsWith(provider.Issuer, web.Page.Url, StringComparison.Ordinal);
        return new Uri(web.Page.Url).Query.Split('&').Single(p => p.TrimStart('?').StartsWith("state=", StringComparison.Ordinal)).Split('=')[1];
    }

    /// <summary>At the provider's login page: the user name, then its "Sign in".</summary>
    private static async Task SignInAtProviderAsync(IPage page, string userId)
    {
        await page.GetByLabel("User name").FillAsync(userId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>No session nor one-time values in the tab, and the app sends the person to sign in.</summary>
    private static async Task AssertNoSessionAsync(WebAppSession web)
    {
        Assert.Null(await StoredAsync(web.Page, "recaps.session"));
        Assert.Null(await StoredAsync(web.Page, "recaps.sign-in"));
        await web.Page.GotoAsync("/");
        await Expect(web.Page).ToHaveURLAsync(new Uri(web.Api.BaseAddress, "sign-in.html").ToString());
    }

    private static Task<string?> StoredAsync(IPage page, string key) =>
        page.EvaluateAsync<string?>("key => sessionStorage.getItem(key)", key);
}
