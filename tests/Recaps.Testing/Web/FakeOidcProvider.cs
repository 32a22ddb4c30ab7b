using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Recaps.Testing;

namespace Recaps.Tests.Web;

/// <summary>
/// An OpenID Connect provider in the test's process, on a loopback port, speaking the real protocol
/// to a browser and to the API: discovery, its RSA key as a JWKS, an authorization endpoint with a
/// login page (the person types a user name: no password), and a token endpoint for the
/// authorization-code grant with PKCE (S256 only, as for any public client). It knows one client
/// and its one redirect URI, answers CORS for that URI's origin only, and issues RS256 access tokens
/// for <see cref="Audience"/> and ID tokens for the client.
/// </summary>
public sealed class FakeOidcProvider : IAsyncDisposable
{
    public const string ClientId = "recaps-web";

    public const string Audience = "recaps-api";

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private readonly ConcurrentQueue<TokenRequest> _tokenRequests = new();

    private FakeOidcProvider(WebApplication app, string issuer)
    {
        _app = app;
        Issuer = issuer;
        app.Use(AllowWebAppOrigin);
        app.MapGet("/.well-known/openid-configuration", Discovery);
        app.MapGet("/jwks", () => TypedResults.Ok(new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.ExportParameters(false)) { KeyId = "fake-1" }) } }));
        app.MapGet("/authorize", (HttpRequest request) => Authorize(request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), null));
        app.MapPost("/authorize", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            return Authorize(form.Where(f => f.Key != "user").ToDictionary(f => f.Key, f => f.Value.ToString()), form["user"].ToString());
        }).DisableAntiforgery();
        app.MapPost("/token", async (HttpRequest request) => Token(await request.ReadFormAsync()));
    }

    /// <summary>The authority to configure (<c>Auth:Authority</c>): http on loopback, without a trailing slash.</summary>
    public string Issuer { get; }

    /// <summary>The one redirect URI registered for <see cref="ClientId"/> (<see cref="RegisterWebApp"/>); none at first.</summary>
    public Uri? RedirectUri { get; private set; }

    /// <summary>Every token request received, refused ones too.</summary>
    public IReadOnlyList<TokenRequest> TokenRequests => [.. _tokenRequests];

    public static async Task<FakeOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var url = LocalPorts.FreeUrl();
        builder.WebHost.UseUrls(url);
        var provider = new FakeOidcProvider(builder.Build(), url);
        await provider._app.StartAsync();
        return provider;
    }

    /// <summary>Registers the web app at <paramref name="webApp"/> as the client's: its <c>signed-in.html</c> the redirect URI, its origin allowed by CORS.</summary>
    public void RegisterWebApp(Uri webApp) => RedirectUri = new Uri(webApp, "signed-in.html");

    /// <summary>An access token for <paramref name="user"/> as the token endpoint issues it, for what a test does through the API beside the browser.</summary>
    public string AccessTokenFor(string user) => Sign(Audience, user, DateTime.UtcNow, new() { ["client_id"] = ClientId, ["scope"] = "openid" });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }

    /// <summary>As a provider lists a single-page app's web origins: its endpoints answer that origin's scripts (CORS), no other's.</summary>
    private async Task AllowWebAppOrigin(HttpContext context, RequestDelegate next)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (RedirectUri is not null && origin == RedirectUri.GetLeftPart(UriPartial.Authority))
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.Vary = "Origin";
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                context.Response.Headers.AccessControlAllowMethods = "GET, POST";
                context.Response.Headers.AccessControlAllowHeaders = context.Request.Headers.AccessControlRequestHeaders;
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
        }

        await next(context);
    }

    private Ok<JsonObject> Discovery() => TypedResults.Ok(new JsonObject
    {
        ["issuer"] = Issuer,
        ["authorization_endpoint"] = $"{Issuer}/authorize",
        ["token_endpoint"] = $"{Issuer}/token",
        ["jwks_uri"] = $"{Issuer}/jwks",
        ["response_types_supported"] = new JsonArray("code"),
        ["grant_types_supported"] = new JsonArray("authorization_code"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray(SecurityAlgorithms.RsaSha256),
        ["code_challenge_methods_supported"] = new JsonArray("S256"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("none"),
        ["scopes_supported"] = new JsonArray("openid"),
    });

    /// <summary>
    /// RFC 6749 §4.1.2.1: an unknown client or redirect URI is refused here, never redirected to;
    /// other faults go back to the client as an <c>error</c>. Without <paramref name="user"/>, the login page.
    /// </summary>
    private IResult Authorize(Dictionary<string, string> query, string? user)
    {
        var parameter = (string name) => query.GetValueOrDefault(name, "");
        if (parameter("client_id") != ClientId)
        {
            return Page(HttpStatusCode.BadRequest, "<p>Unknown client.</p>");
        }

        if (RedirectUri is null || parameter("redirect_uri") != RedirectUri.ToString())
        {
            return Page(HttpStatusCode.BadRequest, "<p>This redirect URI is not registered for the client.</p>");
        }

        var back = new Dictionary<string, string?> { ["state"] = parameter("state"), ["iss"] = Issuer };
        if (parameter("response_type") != "code" || parameter("code_challenge_method") != "S256" || parameter("code_challenge").Length != 43
            || !parameter("scope").Split(' ').Contains("openid"))
        {
            back["error"] = "invalid_request";
            back["error_description"] = "code flow with an S256 code challenge and the openid scope required";
        }
        else if (user is null)
        {
            var hidden = string.Concat(query.Select(q => $"<input type=\"hidden\" name=\"{HtmlEncoder.Default.Encode(q.Key)}\" value=\"{HtmlEncoder.Default.Encode(q.Value)}\">"));
            return Page(HttpStatusCode.OK, $"<form method=\"post\" action=\"/authorize\">{hidden}<label for=\"user\">User name</label> <input id=\"user\" name=\"user\" required> <button>Sign in</button></form>");
        }
        else
        {
            var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
            _codes[code] = new Grant(user, parameter("code_challenge"), parameter("nonce"), DateTime.UtcNow.AddMinutes(1));
            back["code"] = code;
        }

        return TypedResults.Redirect(QueryHelpers.AddQueryString(RedirectUri.ToString(), back));
    }

    private static ContentHttpResult Page(HttpStatusCode status, string body) =>
        TypedResults.Content($"<!doctype html><html lang=\"en\"><head><title>Fake identity provider</title></head><body><main><h1>Fake identity provider</h1>{body}</main></body></html>",
            "text/html", Encoding.UTF8, (int)status);

    /// <summary>RFC 6749 §4.1.3 with RFC 7636 §4.6: a code is good once (a second use is refused too), for its client, redirect URI and verifier.</summary>
    private IResult Token(IFormCollection form)
    {
        var parameter = (string name) => form[name].ToString();
        var grant = _codes.TryRemove(parameter("code"), out var issued) ? issued : null;
        var refusal =
            parameter("grant_type") != "authorization_code" ? "unsupported_grant_type"
            : parameter("client_id") != ClientId ? "invalid_client"
            : grant is null || grant.Expires < DateTime.UtcNow || parameter("redirect_uri") != RedirectUri?.ToString()
                || !VerifierMatches(parameter("code_verifier"), grant.Challenge) ? "invalid_grant"
            : null;
        _tokenRequests.Enqueue(new TokenRequest(parameter("code_verifier"), refusal));
        if (refusal is not null || grant is null)
        {
            return TypedResults.BadRequest(new Dictionary<string, string> { ["error"] = refusal ?? "invalid_grant" });
        }

        return TypedResults.Ok(new Dictionary<string, object>
        {
            ["access_token"] = AccessTokenFor(grant.User),
            ["id_token"] = Sign(ClientId, grant.User, DateTime.UtcNow, new() { ["nonce"] = grant.Nonce }),
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)TokenLifetime.TotalSeconds,
        });
    }

    /// <summary>RFC 7636 §4.1 and §4.6: 43 to 128 unreserved characters, whose SHA-256 in base64url is the challenge.</summary>
    private static bool VerifierMatches(string verifier, string challenge) =>
        verifier.Length is >= 43 and <= 128
        && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
        && Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) == challenge;

    private string Sign(string audience, string user, DateTime now, Dictionary<string, object> claims)
    {
        claims["sub"] = user;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + TokenLifetime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = "fake-1" }, SecurityAlgorithms.RsaSha256),
        });
    }

    private sealed record Grant(string User, string Challenge, string Nonce, DateTime Expires);
}

/// <summary>A token request as the provider judged it: the verifier sent, and the OAuth error it answered (null: tokens issued).</summary>
public sealed record TokenRequest(string CodeVerifier, string? Refusal);
