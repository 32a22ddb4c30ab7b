using System.Text;

namespace Recaps.Api.Auth;

/// <summary>
/// <c>Auth:*</c>: bearer tokens signed with a shared HS256 key (development and tests) or issued by
/// an OIDC authority. Either way the token's <c>sub</c> is the user and <c>role: "admin"</c> an admin.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public const int MinSigningKeyBytes = 32;

    public string Issuer { get; set; } = "recaps";

    public string Audience { get; set; } = "recaps-api";

    /// <summary>HS256 key, at least 32 bytes of UTF-8.</summary>
    public string? SigningKey { get; set; }

    /// <summary>OIDC authority whose published keys sign the tokens.</summary>
    public Uri? Authority { get; set; }

    public IEnumerable<string> Problems()
    {
        if (SigningKey is null && Authority is null)
        {
            yield return $"Auth:SigningKey (HS256, at least {MinSigningKeyBytes} bytes) or Auth:Authority (an OIDC issuer) is required.";
        }

        if (SigningKey is not null && Encoding.UTF8.GetByteCount(SigningKey) < MinSigningKeyBytes)
        {
            yield return $"Auth:SigningKey must be at least {MinSigningKeyBytes} bytes.";
        }

        if (SigningKey is not null && Authority is not null)
        {
            yield return "Auth:SigningKey and Auth:Authority are alternatives: set one.";
        }

        if (string.IsNullOrWhiteSpace(Issuer) || string.IsNullOrWhiteSpace(Audience))
        {
            yield return "Auth:Issuer and Auth:Audience must not be empty.";
        }
    }
}
