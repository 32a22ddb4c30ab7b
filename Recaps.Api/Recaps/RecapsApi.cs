using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Recaps.Api.Auth;
using Recaps.Api.Hosting;
using Recaps.Api.Problems;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Storage;

namespace Recaps.Api.Recaps;

/// <summary>A stored recap; each channel's part has its message count, highlights and action items with the posts they come from.</summary>
public sealed record RecapResponse(
    Guid Id,
    Guid ScheduleId,
    Guid RunId,
    string Title,
    string Status,
    DateTime WindowStart,
    DateTime WindowEnd,
    DateTime CreatedAt,
    IReadOnlyList<ChannelRecap> Channels)
{
    public static RecapResponse From(StoredRecap recap)
    {
        ArgumentNullException.ThrowIfNull(recap);
        return new(recap.Id, recap.ScheduleId, recap.RunId, recap.Title, recap.Status, recap.WindowStart.ToDateTimeUtc(),
            recap.WindowEnd.ToDateTimeUtc(), recap.CreatedAt.ToDateTimeUtc(), recap.Channels);
    }
}

public sealed record RecapListResponse(IReadOnlyList<RecapResponse> Items);

public static class RecapsApi
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapRecapsApi(this IEndpointRouteBuilder app)
    {
        var recaps = app.MapGroup("/v1/recaps")
            .WithTags("Recaps")
            .RequireAuthorization()
            .RequireRateLimiting(UserRateLimiting.Policy)
            .ProducesCallerProblems();
        recaps.MapGet("/", ListAsync)
            .WithSummary("The caller's recaps, newest first.")
            .WithParameter("limit", () => ParameterSchemas.Range(1, MaxLimit, DefaultLimit));
        recaps.MapGet("/{id:guid}", GetAsync).WithSummary("One recap.").ProducesNotFound();
        return app;
    }

    private static async Task<Results<Ok<RecapListResponse>, ValidationProblem>> ListAsync(
        int? limit, ClaimsPrincipal user, RecapRepository recaps, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.Invalid("limit", $"limit must be 1–{MaxLimit}.");
        }

        var found = await recaps.ListAsync(user.Id(), limit ?? DefaultLimit, cancellationToken);
        return TypedResults.Ok(new RecapListResponse([.. found.Select(RecapResponse.From)]));
    }

    private static async Task<Results<Ok<RecapResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, RecapRepository recaps, CancellationToken cancellationToken) =>
        await recaps.FindOwnedAsync(id, user.Id(), cancellationToken) is { } recap
            ? TypedResults.Ok(RecapResponse.From(recap))
            : ApiProblems.NotFound("recap");
}
