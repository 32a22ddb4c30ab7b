using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Recaps.Tests.Api;

namespace Recaps.Tests.Web;

/// <summary>
/// The API in Production with an OIDC authority on loopback (the fake provider, over http): tokens
/// from the authorization-code flow with PKCE work for the user who signed in; the provider holds
/// the flow to its rules (the verifier, a code good once, its one client and redirect URI).
/// </summary>
public class OidcProviderTokensTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AccessToken_FromTheCodeFlow_IsAcceptedByTheApi_ForTheUserWhoSignedIn()
    {
        await using var world = await OidcWorld.StartAsync(postgres);
        var (code, verifier) = await world.SignInAsync("robin", "nonce-1");

        var tokens = await (await world.RedeemAsync(code, verifier)).JsonAsync();
        using var robin = world.Api.Anonymous();
        robin.DefaultRequestHeaders.Authorization = new("Bearer", tokens.Text("access_token"));
        var created = await robin.CreateScheduleAsync();
        var listed = await robin.GetJsonAsync("/v1/schedules");

        Assert.Equal("robin", created.Text("userId"));
        Assert.Equal(created.Id(), Assert.Single(listed.GetProperty("items").EnumerateArray()).Id());
        var id = new JsonWebToken(tokens.Text("id_token"));
        Assert.Equal((world.Provider.Issuer, FakeOidcProvider.ClientId, "robin", "nonce-1"), (id.Issuer, Assert.Single(id.Audiences), id.Subject, id.GetClaim("nonce").Value));
    }

    [Fact]
    public async Task IdToken_IsNotAnAccessTokenForTheApi()
    {
        await using var world = await OidcWorld.StartAsync(postgres);
        var (code, verifier) = await world.SignInAsync("robin", "nonce-1");
        var tokens = await (await world.RedeemAsync(code, verifier)).JsonAsync();
        using var wrongToken = world.Api.Anonymous();
        wrongToken.DefaultRequestHeaders.Authorization = new("Bearer", tokens.Text("id_token"));

        await (await wrongToken.GetAtAsync("/v1/schedules")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_WithAWrongVerifier_IsRefused_AndSpendsTheCode()
    {
        await using var world = await OidcWorld.StartAsync(postgres);
        var (code, verifier) = await world.SignInAsync("robin", "nonce-1");

        var wrong = await world.RedeemAsync(code, OidcWorld.NewVerifier());
        var afterwards = await world.RedeemAsync(code, verifier);

        await AssertRefusedAsync(wrong, "invalid_grant");
        await AssertRefusedAsync(afterwards, "invalid_grant");
    }

    [Fact]
    public async Task Token_ForACodeUsedBefore_IsRefused()
    {
        await using var world = await OidcWorld.StartAsync(postgres);
        var (code, verifier) = await world.SignInAsync("robin", "nonce-1");

        Assert.Equal(HttpStatusCode.OK, (await world.RedeemAsync(code, verifier)).StatusCode);
        await AssertRefusedAsync(await world.RedeemAsync(code, verifier), "invalid_grant");
    }

    [Theory]
    [InlineData("client_id", "someone-else")]
    [InlineData("redirect_uri", "https://evil.example.test/signed-in.html")]
    public async Task Authorize_ForAnUnknownClientOrRedirectUri_IsRefusedThere_WithoutRedirecting(string parameter, string value)
    {
        await using var world = await OidcWorld.StartAsync(postgres);

        var response = await world.Browser.GetAsync(world.AuthorizeUrl(OidcWorld.NewVerifier(), "nonce-1", (parameter, value)), ApiCalls.Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string error)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await response.JsonAsync()).Text("error"));
    }

    /// <summary>The fake provider, the API in Production trusting it, and a browser-like client that follows no redirect.</summary>
    private sealed class OidcWorld : IAsyncDisposable
    {
        private OidcWorld(FakeOidcProvider provider, DevelopmentApi api)
        {
            Provider = provider;
            Api = api;
            Browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(provider.Issuer) };
        }

        public FakeOidcProvider Provider { get; }

        public DevelopmentApi Api { get; }

        public HttpClient Browser { get; }

        public static async Task<OidcWorld> StartAsync(PostgresFixture postgres)
        {
            var provider = await FakeOidcProvider.StartAsync();
            var api = await DevelopmentApi.StartAsync(
                postgres, ApiHost.Start, Environments.Production, ("Auth:SigningKey", null), ("Auth:Authority", provider.Issuer), ("Auth:WebClientId", FakeOidcProvider.ClientId));
            provider.RegisterWebApp(api.BaseAddress);
            return new OidcWorld(provider, api);
        }

        /// <summary>RFC 7636 §4.1: 32 random bytes in base64url, 43 characters.</summary>
        public static string NewVerifier() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public string AuthorizeUrl(string verifier, string nonce, params (string Name, string Value)[] changed)
        {
            var query = new Dictionary<string, string?>
            {
                ["response_type"] = "code",
                ["client_id"] = FakeOidcProvider.ClientId,
                ["redirect_uri"] = Provider.RedirectUri!.ToString(),
                ["scope"] = "openid",
                ["state"] = "state-1",
                ["nonce"] = nonce,
                ["code_challenge"] = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                ["code_challenge_method"] = "S256",
            };
            foreach (var (name, value) in changed)
            {
                query[name] = value;
            }

            return QueryHelpers.AddQueryString("/authorize", query);
        }

        /// <summary>Through the login page as a person would: its form, filled in with <paramref name="user"/>, answered with a redirect to the web app.</summary>
        public async Task<(string Code, string Verifier)> SignInAsync(string user, string nonce)
        {
            var verifier = NewVerifier();
            var page = await Browser.GetAsync(AuthorizeUrl(verifier, nonce), ApiCalls.Cancel);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var form = QueryHelpers.ParseQuery(new Uri(Provider.Issuer + AuthorizeUrl(verifier, nonce)).Query).ToDictionary(q => q.Key, q => q.Value.ToString());
            form["user"] = user;
            using var content = new FormUrlEncodedContent(form);
            var answer = await Browser.PostAsync(ApiCalls.Url("/authorize"), content, ApiCalls.Cancel);
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            var back = answer.Headers.Location!;
            Assert.Equal(Provider.RedirectUri!.GetLeftPart(UriPartial.Path), back.GetLeftPart(UriPartial.Path));
            var query = QueryHelpers.ParseQuery(back.Query);
            Assert.Equal(("state-1", Provider.Issuer), (query["state"].ToString(), query["iss"].ToString()));
            return (query["code"].ToString(), verifier);
        }

        public async Task<HttpResponseMessage> RedeemAsync(string code, string verifier)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = Provider.RedirectUri!.ToString(),
                ["client_id"] = FakeOidcProvider.ClientId,
                ["code_verifier"] = verifier,
            });
            return await Browser.PostAsync(ApiCalls.Url("/token"), form, ApiCalls.Cancel);
        }

        public async ValueTask DisposeAsync()
        {
            Browser.Dispose();
            await Api.DisposeAsync();
            await Provider.DisposeAsync();
        }
    }
}
