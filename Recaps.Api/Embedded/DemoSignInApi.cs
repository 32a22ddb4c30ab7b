using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Recaps.Api.Auth;
using Recaps.Api.Problems;

namespace Recaps.Api.Embedded;

public sealed record DemoUserListResponse(IReadOnlyList<string> Items);

public sealed record DemoTokenResponse(string AccessToken, string UserId, bool Admin, DateTime ExpiresAt);

/// <summary>
/// <c>/demo/users</c>: the web app's sign-in in Development, where tokens are signed with
/// <c>Auth:SigningKey</c>: pick a demo user, get their bearer token. Not mapped anywhere else (404),
/// and not part of the REST contract (absent from the OpenAPI document): production signs in at
/// its OIDC authority.
/// </summary>
public static class DemoSignInApi
{
    /// <summary>A working day: the page keeps the token for its tab only (sessionStorage).</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(12);

    public static WebApplication MapDemoSignInApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment() || app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.SigningKey is null)
        {
            return app;
        }

        var demo = app.MapGroup("/demo/users").ExcludeFromDescription();
        demo.MapGet("/", () => TypedResults.Ok(new DemoUserListResponse(DemoIdentity.Users)));
        demo.MapPost("/{id}/token", Token);
        return app;
    }

    private static Results<Ok<DemoTokenResponse>, ProblemHttpResult> Token(string id, IOptions<AuthOptions> auth)
    {
        if (!DemoIdentity.Users.Contains(id, StringComparer.Ordinal))
        {
            return ApiProblems.NotFound("demo user");
        }

        var now = DateTime.UtcNow;
        return TypedResults.Ok(new DemoTokenResponse(DemoIdentity.Token(auth.Value, id, now, TokenLifetime), id, id == DemoIdentity.User, now + TokenLifetime));
    }
}
