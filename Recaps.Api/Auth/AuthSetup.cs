using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Recaps.Api.Auth;

public static class AuthSetup
{
    /// <summary>JWT bearer authentication from <see cref="AuthOptions"/>; every token needs a <c>sub</c>.</summary>
    public static IServiceCollection AddRecapsAuth(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((bearer, auth) =>
            {
                var options = auth.Value;
                bearer.MapInboundClaims = false;
                bearer.Authority = options.Authority?.ToString();
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Audience,
                    IssuerSigningKey = options.SigningKey is { } key ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)) : null,
                    ValidAlgorithms = options.SigningKey is null ? null : [SecurityAlgorithms.HmacSha256],
                    NameClaimType = RecapsUser.IdClaim,
                    RoleClaimType = RecapsUser.RoleClaim,
                };
            });

        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireClaim(RecapsUser.IdClaim)
                .Build())
            .AddPolicy(RecapsUser.AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireClaim(RecapsUser.IdClaim).RequireRole(RecapsUser.AdminRole));
        return services;
    }
}
