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
                // A refused token is refused: why (a key not found, a bad signature) helps an attacker, not a caller.
                bearer.IncludeErrorDetails = false;
                bearer.Events = new JwtBearerEvents
                {
                    // A token without a usable user id is no identity at all: 401, before any endpoint runs.
                    OnTokenValidated = context =>
                    {
                        if (!RecapsUser.IsValidId(context.Principal?.FindFirst(RecapsUser.IdClaim)?.Value))
                        {
                            context.Fail($"The '{RecapsUser.IdClaim}' claim must be 1 to {RecapsUser.MaxIdLength} characters without control characters or surrounding spaces.");
                        }

                        return Task.CompletedTask;
                    },
                };
                bearer.Authority = options.Authority?.ToString();
                // Keys fetched over http could be swapped on the way, except on loopback, where nothing is on the way.
                bearer.RequireHttpsMetadata = !options.AuthorityIsLoopback;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Audience,
                    IssuerSigningKey = options.SigningKey is { } key ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)) : null,
                    ValidAlgorithms = options.SigningKey is null ? null : [SecurityAlgorithms.HmacSha256],
                    NameClaimType = RecapsUser.IdClaim,
                    RoleClaimType = RecapsUser.RoleClaim,
                    // Clocks of issuers and APIs agree to within seconds; the default five minutes keeps expired tokens alive.
                    ClockSkew = TimeSpan.FromSeconds(30),
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
