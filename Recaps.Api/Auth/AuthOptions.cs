using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Recaps.Api.Auth;

/// <summary>
/// <c>Auth:*</c>: bearer tokens signed with a shared HS256 key (development and tests) or issued by
/// an OIDC authority. Either way the token's <c>sub</c> is the user and <c>role: "admin"</c> an admin.
/// </summary>
public sealed partial class AuthOptions
{
    public const string Section = "Auth";

    public const int MinSigningKeyBytes = 32;

    public string Issuer { get; set; } = "recaps";

    public string Audience { get; set; } = "recaps-api";

    /// <summary>HS256 key, at least 32 bytes of UTF-8.</summary>
    public string? SigningKey { get; set; }

    /// <summary>OIDC authority whose published keys sign the tokens.</summary>
    public Uri? Authority { get; set; }

    /// <summary>
    /// The web app's client id at <see cref="Authority"/>: a public client (no secret) using the
    /// authorization-code flow with PKCE, its redirect URI the app's <c>signed-in.html</c>.
    /// Unset, the web app offers no sign-in there (the REST API still accepts the authority's tokens).
    /// </summary>
    public string? WebClientId { get; set; }

    /// <summary>The scopes the web app asks for, space-separated; <c>openid</c> among them (the ID token names the user).</summary>
    public string WebScope { get; set; } = "openid";

    /// <summary>
    /// Discovery and keys over plain http only from this machine: a loopback authority's traffic never
    /// leaves it (a provider beside the API, as in tests); anything else must be https.
    /// </summary>
    public bool AuthorityIsLoopback =>
        Authority is { IsAbsoluteUri: true } authority
        && (authority.IsLoopback || (IPAddress.TryParse(authority.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));

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

        if (Authority is not null && !(Authority.IsAbsoluteUri && (Authority.Scheme == Uri.UriSchemeHttps || (Authority.Scheme == Uri.UriSchemeHttp && AuthorityIsLoopback))))
        {
            yield return "Auth:Authority must be an absolute https address (http only on loopback).";
        }

        if (WebClientId is not null && Authority is null)
        {
            yield return "Auth:WebClientId needs Auth:Authority: the web app signs in there.";
        }

        if (WebClientId is not null && !IsPrintableAscii(WebClientId))
        {
            yield return "Auth:WebClientId must be printable ASCII without spaces.";
        }

        if (!ScopeList().IsMatch(WebScope) || !WebScope.Split(' ').Contains("openid", StringComparer.Ordinal))
        {
            yield return "Auth:WebScope must be scopes separated by single spaces, 'openid' among them.";
        }
    }

    private static bool IsPrintableAscii(string text) => text.Length > 0 && text.All(c => c is > ' ' and < '\u007f');

    /// <summary>RFC 6749 §3.3: scope-tokens of %x21 / %x23-5B / %x5D-7E, one space apart.</summary>
    [GeneratedRegex(@"^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$")]
    private static partial Regex ScopeList();
}
