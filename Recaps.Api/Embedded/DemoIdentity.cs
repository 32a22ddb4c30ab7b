using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Recaps.Api.Auth;

namespace Recaps.Api.Embedded;

/// <summary>Embedded mode's signing key (kept in the data folder, so tokens outlive restarts) and the demo user's bearer token.</summary>
public static class DemoIdentity
{
    public const string User = "demo";

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(30);

    public static string LoadOrCreateSigningKey(string folder)
    {
        var file = Path.Combine(folder, "signing-key");
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        Directory.CreateDirectory(folder);
        File.WriteAllText(file, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }

    /// <summary>A token for the demo user, an admin so the chat-store calls work too.</summary>
    public static string Token(AuthOptions auth, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(auth);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Subject = new ClaimsIdentity([new Claim(RecapsUser.IdClaim, User), new Claim(RecapsUser.RoleClaim, RecapsUser.AdminRole)]),
            NotBefore = now,
            Expires = now + TokenLifetime,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey!)), SecurityAlgorithms.HmacSha256),
        });
    }
}
