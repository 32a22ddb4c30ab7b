using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Recaps.Api.Auth;

/// <summary>Bearer tokens signed with <c>Auth:SigningKey</c> (HS256), as the API validates them: embedded mode's demo token, and the tests'.</summary>
internal static class SigningKeyTokens
{
    /// <summary>
    /// A token naming <paramref name="userId"/> (none when null, as a broken issuer might send), with the
    /// admin role when asked; <paramref name="notBefore"/> null means now.
    /// </summary>
    public static string Mint(AuthOptions auth, string? userId, bool admin, DateTime? notBefore, DateTime expires)
    {
        ArgumentNullException.ThrowIfNull(auth);
        var claims = userId is null ? new List<Claim>() : [new(RecapsUser.IdClaim, userId)];
        if (admin)
        {
            claims.Add(new Claim(RecapsUser.RoleClaim, RecapsUser.AdminRole));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = notBefore,
            Expires = expires,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey!)), SecurityAlgorithms.HmacSha256),
        });
    }
}
