using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Recaps.Api.Auth;
using Recaps.Api.Problems;

namespace Recaps.Api.WebApp;

/// <summary>Where the web app signs in: the authority, its client id there and the scopes to ask for.</summary>
public sealed record WebSignInResponse(string Authority, string ClientId, string Scope);

/// <summary>
/// <c>GET /web-app/sign-in</c>: the web app's OIDC settings, for its sign-in page (no token needed:
/// nothing here is secret, a public client has no secret). 404 without <c>Auth:WebClientId</c>, as
/// the demo sign-in is outside Development. Part of the web app, like its files, not of the REST
/// contract: absent from the OpenAPI document.
/// </summary>
public static class WebSignInApi
{
    public static WebApplication MapWebSignInApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Options are read per request, not here: a bad Auth:* setting is reported at start, among the others.
        app.MapGet("/web-app/sign-in", Settings).ExcludeFromDescription();
        return app;
    }

    private static Results<Ok<WebSignInResponse>, ProblemHttpResult> Settings(IOptions<AuthOptions> auth) =>
        auth.Value is { Authority: { } authority, WebClientId: { } clientId }
            ? TypedResults.Ok(new WebSignInResponse(authority.OriginalString, clientId, auth.Value.WebScope))
            : ApiProblems.NotFound("web sign-in");
}
