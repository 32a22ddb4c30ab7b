using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Recaps.Api.Problems;

/// <summary>
/// Answers requests the framework could not bind (malformed JSON, a wrong type, an unknown
/// property, a wrong content type, a body too large) with a problem-details body that names the
/// field and the rule, in the same shape as the API's own validation errors.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        var details = bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = { Status = bad.StatusCode, Title = "The request body is too large.", Detail = $"Bodies are limited to {RequestBodyLimit.MaxBytes / 1024} KiB." },
            },
            StatusCodes.Status415UnsupportedMediaType => new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = { Status = bad.StatusCode, Title = "The body must be JSON.", Detail = "Send Content-Type: application/json." },
            },
            _ => new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = new HttpValidationProblemDetails(FieldErrors(bad))
                {
                    Status = bad.StatusCode,
                    Title = "One or more validation errors occurred.",
                },
            },
        };
        return await problems.TryWriteAsync(details);
    }

    private static Dictionary<string, string[]> FieldErrors(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException { Message: var message } when UnknownProperty().Match(message) is { Success: true } unknown =>
            new() { [unknown.Groups[1].Value] = [$"{unknown.Groups[1].Value} is not a field of this body."] },
        JsonException { Path: { Length: > 1 } path } when Field(path) is { } field =>
            new() { [field] = [$"{field} has the wrong JSON type or an invalid value."] },
        JsonException json =>
            new() { ["body"] = [$"The body is not valid JSON (line {json.LineNumber + 1}, position {json.BytePositionInLine + 1})."] },
        // No body, or the JSON literal null, where one is required.
        _ when bad.Message.Contains("was not provided from body", StringComparison.Ordinal)
            || bad.Message.Contains("no body was provided", StringComparison.Ordinal) =>
            new() { ["body"] = ["A JSON body is required."] },
        // A query or route value of the wrong type (limit=abc): named like the body's fields, not "request".
        _ when BindFailure().Match(bad.Message) is { Success: true } parameter =>
            new() { [parameter.Groups[1].Value] = [$"{parameter.Groups[1].Value} is missing or has the wrong type."] },
        _ => new() { ["request"] = [bad.Message] },
    };

    /// <summary>The top-level field a JSON path points into: <c>$.daysOfWeek[0]</c> → <c>daysOfWeek</c>.</summary>
    private static string? Field(string path) => FieldOfPath().Match(path) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"^\$\.([A-Za-z0-9_]+)")]
    private static partial Regex FieldOfPath();

    [GeneratedRegex("""^(?:Failed to bind|Required) parameter "[^"]*?([A-Za-z0-9_]+)" """)]
    private static partial Regex BindFailure();

    [GeneratedRegex("^The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnknownProperty();
}
