namespace Recaps.Api.Problems;

/// <summary>
/// Declares in the OpenAPI document the problems a call can answer that its handler's return type
/// does not show: those raised while binding the body, and <see cref="ApiProblems"/> answers.
/// </summary>
public static class ProblemResponses
{
    /// <summary>
    /// Any call of a signed-in caller: 401 without a valid token, 429 over the per-user rate limit, 503
    /// (with <c>Retry-After</c>) while PostgreSQL cannot be reached.
    /// </summary>
    public static RouteGroupBuilder ProducesCallerProblems(this RouteGroupBuilder group) => group
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>A call with a JSON body: 400 (malformed JSON, a wrong type, an unknown field), 413 over 64 KiB, 415 when not JSON.</summary>
    public static RouteHandlerBuilder ProducesBodyProblems(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>A call on one resource: 404 when it is missing, deleted or someone else's.</summary>
    public static RouteHandlerBuilder ProducesNotFound(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>A call the resource's state can refuse.</summary>
    public static RouteHandlerBuilder ProducesConflict(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status409Conflict);
}
