using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Recaps.Api.Auth;

namespace Recaps.Api.WebApp;

/// <summary>
/// The web app (DESIGN §10): static HTML, CSS and JavaScript modules from <c>wwwroot</c>, served at
/// <c>/</c> by the API, which the pages call like any client. Every asset comes from here, so the
/// app works without a network; no script is inline, so the policy below allows this origin's only.
/// </summary>
public static class WebAppFiles
{
    /// <summary>
    /// Only this origin's files and API, and the origin of the authority the web app signs in at
    /// (its discovery document and token endpoint, fetched by the page); no inline script or style,
    /// no frames, no plugins. Going to the authority's sign-in page is a navigation, which no
    /// directive limits, so forms still post to this origin only.
    /// </summary>
    private static string ContentSecurityPolicy(AuthOptions auth)
    {
        var connect = auth is { Authority: { } authority, WebClientId: not null } ? $"'self' {authority.GetLeftPart(UriPartial.Authority)}" : "'self'";
        return $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src {connect}; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /// <summary><c>/</c> is <c>index.html</c>; each file is revalidated (by its ETag) so a new release shows at once.</summary>
    public static WebApplication UseWebAppFiles(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Read at the first file, not here: a bad Auth:* setting is reported at start, among the others.
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>();
        var policy = new Lazy<string>(() => ContentSecurityPolicy(auth.Value));
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file =>
            {
                var headers = file.Context.Response.Headers;
                headers.ContentSecurityPolicy = policy.Value;
                headers.XContentTypeOptions = "nosniff";
                headers[HeaderNames.CacheControl] = "no-cache";
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
        return app;
    }
}
