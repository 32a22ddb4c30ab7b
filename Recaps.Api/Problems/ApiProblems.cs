using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Recaps.Api.Problems;

/// <summary>The API's problem answers (RFC 9457), so each reads the same wherever it is returned.</summary>
public static class ApiProblems
{
    /// <summary>Missing, deleted, or another user's: all look the same, so nobody learns what others have.</summary>
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}.");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The request conflicts with the resource's state.", detail: detail);

    public static ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan retryAfter, string detail)
    {
        SetRetryAfter(context, retryAfter);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.", detail: detail);
    }

    /// <summary>A request past one of the user's hourly quotas, <paramref name="limit"/> in words with its setting.</summary>
    public static ProblemHttpResult OverQuota(HttpContext context, TimeSpan retryAfter, string limit) =>
        TooManyRequests(context, retryAfter, $"{limit}; retry after {RetryAfterSeconds(retryAfter)} s.");

    /// <summary><c>Retry-After</c> in whole seconds, at least one.</summary>
    public static void SetRetryAfter(HttpContext context, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
    }

    private static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
