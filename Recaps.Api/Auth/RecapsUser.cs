using System.Security.Claims;

namespace Recaps.Api.Auth;

/// <summary>The claims Recaps reads from a bearer token, kept as issued (no inbound claim mapping).</summary>
public static class RecapsUser
{
    public const string IdClaim = "sub";

    public const string RoleClaim = "role";

    public const string AdminRole = "admin";

    public const string AdminPolicy = "admin";

    /// <summary>OpenID Connect caps <c>sub</c> at 255 ASCII characters.</summary>
    public const int MaxIdLength = 255;

    /// <summary>A user id Recaps stores and compares: present, not blank, at most <see cref="MaxIdLength"/>, no control characters or surrounding spaces.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id.Trim() == id && !id.Any(char.IsControl);

    /// <summary>The caller's user id; endpoints that read it require an authenticated user, whose token always has one.</summary>
    public static string Id(this ClaimsPrincipal user) =>
        user.FindFirstValue(IdClaim) ?? throw new InvalidOperationException("An authenticated user without a 'sub' claim.");
}
