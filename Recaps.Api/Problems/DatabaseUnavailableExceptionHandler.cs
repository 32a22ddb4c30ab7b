using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Recaps.Api.Problems;

/// <summary>
/// While PostgreSQL cannot be reached, calls answer 503 with <c>Retry-After</c> (a condition a
/// client can wait out) instead of a bare 500; nothing was stored, since intent is only accepted
/// once committed.
/// </summary>
public sealed class DatabaseUnavailableExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not NpgsqlException { IsTransient: true })
        {
            return false;
        }

        ApiProblems.SetRetryAfter(httpContext, RetryAfter);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable.",
                Detail = "Nothing was changed; retry after the Retry-After header's seconds.",
            },
        });
    }
}
