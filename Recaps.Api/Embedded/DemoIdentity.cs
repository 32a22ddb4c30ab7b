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
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } kept)
        {
            return kept;
        }

        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        Directory.CreateDirectory(folder);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Readable by this user only, from the moment it exists.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(file, options))
        {
            writer.Write(key);
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
