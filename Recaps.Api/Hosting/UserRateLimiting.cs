using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Recaps.Api.Auth;
using Recaps.Api.Problems;
using Recaps.ServiceDefaults;

namespace Recaps.Api.Hosting;

/// <summary><c>Recaps:RateLimit</c>: requests each user may make per window.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Recaps:RateLimit";

    public int PermitLimit { get; set; } = 300;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> Problems()
    {
        if (PermitLimit < 1)
        {
            yield return "Recaps:RateLimit:PermitLimit must be at least 1.";
        }

        if (Window <= TimeSpan.Zero)
        {
            yield return "Recaps:RateLimit:Window must be positive.";
        }
    }
}

public static class UserRateLimiting
{
    public const string Policy = "per-user";

    /// <summary>
    /// A fixed window per user (the token's <c>sub</c>), so one client cannot starve the others;
    /// a refused request gets 429 with <c>Retry-After</c> in seconds.
    /// </summary>
    public static IServiceCollection AddUserRateLimiting(this IServiceCollection services)
    {
        services.AddCheckedOptions<RateLimitOptions>(RateLimitOptions.Section, o => o.Problems());
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context =>
            {
                var options = Options(context);
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.User.FindFirst(RecapsUser.IdClaim)?.Value ?? "",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.PermitLimit, Window = options.Window, QueueLimit = 0 });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                var options = Options(http);
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Window;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                ApiProblems.SetRetryAfter(http, retryAfter);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"At most {options.PermitLimit} requests per {options.Window} per user; retry after the Retry-After header's seconds.",
                    },
                });
            };
        });
        return services;
    }

    private static RateLimitOptions Options(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
}
