using Microsoft.Extensions.Options;
using Recaps.Api.Auth;

namespace Recaps.Api.WebApp;

/// <summary>Where the web app signs in: the authority, its client id there and the scopes to ask for.</summary>
public sealed record WebSignInResponse(string Authority, string ClientId, string Scope);

/// <summary>
/// <c>GET /web-app/sign-in</c>: the web app's OIDC settings, for its sign-in page (no token needed:
/// nothing here is secret, a public client has no secret). Mapped only with <c>Auth:WebClientId</c>
/// set, else 404, as the demo sign-in is outside Development. Part of the web app, like its files,
/// not of the REST contract: absent from the OpenAPI document.
/// </summary>
public static class WebSignInApi
{
    public const string Path = "/web-app/sign-in";

    public static WebApplication MapWebSignInApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (auth is { Authority: { } authority, WebClientId: { } clientId })
        {
            var settings = new WebSignInResponse(authority.OriginalString, clientId, auth.WebScope);
            app.MapGet(Path, () => TypedResults.Ok(settings)).ExcludeFromDescription();
        }

        return app;
    }
}
