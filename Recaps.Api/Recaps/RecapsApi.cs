using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using Recaps.Api.Auth;
using Recaps.Api.Delivery;
using Recaps.Api.Hosting;
using Recaps.Api.Problems;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Storage;

namespace Recaps.Api.Recaps;

/// <summary>
/// A stored recap; each channel's part has its message count, highlights and action items with the posts
/// they come from. <c>agent</c> is the agent asked for; <c>fallback</c> says why the content is the
/// extractive recap instead; <c>usage</c> is what the model calls cost (null for <c>extractive</c>);
/// a regenerated recap is a further <c>version</c> of the same run's window.
/// </summary>
public sealed record RecapResponse(
    Guid Id,
    Guid ScheduleId,
    Guid RunId,
    string Title,
    string Status,
    DateTime WindowStart,
    DateTime WindowEnd,
    DateTime CreatedAt,
    IReadOnlyList<ChannelRecap> Channels,
    FeedbackView? Feedback,
    IReadOnlyList<DeliveryView> Deliveries,
    string Agent,
    FallbackView? Fallback,
    RecapUsage? Usage,
    int Version)
{
    public static RecapResponse From(StoredRecap recap, RecapFeedback? feedback, IEnumerable<RecapDelivery> deliveries)
    {
        ArgumentNullException.ThrowIfNull(recap);
        return new(recap.Id, recap.ScheduleId, recap.RunId, recap.Title, recap.Status, recap.WindowStart.ToDateTimeUtc(),
            recap.WindowEnd.ToDateTimeUtc(), recap.CreatedAt.ToDateTimeUtc(), recap.Channels, feedback is null ? null : FeedbackView.From(feedback),
            [.. deliveries.Select(DeliveryView.From)], recap.Agent, recap.FallbackReason is { } reason ? new FallbackView(reason) : null, recap.Usage, recap.Version);
    }
}

/// <summary>Where a recap went: one entry per target it was routed to when it was stored (none for recaps older than delivery).</summary>
/// <param name="Target">The target, shown as <c>/v1/me/delivery</c> shows it: a webhook without its secret or URL path.</param>
/// <param name="Status"><c>pending</c> (not yet sent, or being retried with <c>error</c> saying why), <c>delivered</c> or <c>failed</c>.</param>
/// <param name="At">When it was delivered or given up; while pending, when it was planned or last tried.</param>
/// <param name="Error">A stable code, then a message safe to show: why the last attempt failed.</param>
public sealed record DeliveryView(DeliveryTargetView Target, string Status, DateTime At, string? Error)
{
    public static DeliveryView From(RecapDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(DeliveryTargetView.From(delivery.Target), delivery.Status.ToText(), delivery.At.ToDateTimeUtc(), delivery.Error);
    }
}

/// <summary>Why a recap is the extractive one instead of its agent's: one of <c>provider_error</c>, <c>rate_limited</c>, <c>budget_exhausted</c>, <c>invalid_output</c>, <c>input_too_large</c>.</summary>
public sealed record FallbackView(string Reason);

/// <summary>What the owner thought of a recap; null until they say.</summary>
public sealed record FeedbackView(string Rating, string? Comment, DateTime GivenAt)
{
    public static FeedbackView From(RecapFeedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        return new(feedback.Rating.ToText(), feedback.Comment, feedback.GivenAt.ToDateTimeUtc());
    }
}

public sealed record FeedbackRequest(string? Rating, string? Comment);

public sealed record RecapListResponse(IReadOnlyList<RecapResponse> Items);

public sealed record RegenerateRequest(string? Agent);

/// <summary>The new version asked for: <c>GET /v1/recaps/{recapId}</c> finds it once it is stored (404 until then).</summary>
public sealed record RegenerateResponse(Guid RecapId, int Version, string Agent);

public static class RecapsApi
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 200;

    public const int MaxCommentLength = 2000;

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
        recaps.MapPost("/{id:guid}/regenerate", RegenerateAsync)
            .WithSummary("Write the recap's window again as a new version, by its schedule's agent or the one given; answered at once, the version is stored when written.")
            .ProducesBodyProblems()
            .ProducesNotFound();
        recaps.MapPost("/{id:guid}/feedback", GiveFeedbackAsync)
            .WithSummary("Rate a recap (up or down) with an optional comment; giving it again replaces it.")
            .ProducesBodyProblems()
            .ProducesNotFound();
        recaps.MapRecapReaderApi();
        return app;
    }

    private static async Task<Results<Ok<RecapListResponse>, ValidationProblem>> ListAsync(
        int? limit, ClaimsPrincipal user, RecapRepository recaps, RecapFeedbackStore feedbacks, RecapDeliveryStore deliveries, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.Invalid("limit", $"limit must be 1–{MaxLimit}.");
        }

        var found = await recaps.ListAsync(user.Id(), limit ?? DefaultLimit, cancellationToken);
        var feedback = await feedbacks.FindAsync([.. found.Select(r => r.Id)], cancellationToken);
        var delivered = await deliveries.ForRecapsAsync([.. found.Select(r => r.Id)], cancellationToken);
        return TypedResults.Ok(new RecapListResponse([.. found.Select(r => RecapResponse.From(r, feedback.GetValueOrDefault(r.Id), delivered[r.Id]))]));
    }

    private static async Task<Results<Ok<RecapResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, RecapRepository recaps, RecapFeedbackStore feedbacks, RecapDeliveryStore deliveries, CancellationToken cancellationToken)
    {
        if (await recaps.FindOwnedAsync(id, user.Id(), cancellationToken) is not { } recap)
        {
            return ApiProblems.NotFound("recap");
        }

        var feedback = await feedbacks.FindAsync([id], cancellationToken);
        return TypedResults.Ok(RecapResponse.From(recap, feedback.GetValueOrDefault(id), (await deliveries.ForRecapsAsync([id], cancellationToken))[id]));
    }

    private static async Task<Results<Accepted<RegenerateResponse>, ValidationProblem, ProblemHttpResult>> RegenerateAsync(
        Guid id, RegenerateRequest? body, ClaimsPrincipal user, RecapRegenerations regenerations, RecapGenerators generators, CancellationToken cancellationToken)
    {
        var configured = string.Join(", ", generators.Agents.Order(StringComparer.Ordinal));
        if (body?.Agent is { } agent && generators.Find(agent) is null)
        {
            return ApiProblems.Invalid("agent", $"agent must be one of: {configured}.");
        }

        return await regenerations.RequestAsync(id, user.Id(), body?.Agent, generators.Agents, cancellationToken) switch
        {
            null => ApiProblems.NotFound("recap"),
            { Requested: { } requested } =>
                TypedResults.Accepted($"/v1/recaps/{requested.RecapId}", new RegenerateResponse(requested.RecapId, requested.Version, requested.Agent)),
            // Without an agent the schedule's is used: one no longer configured could never write the version.
            { UnconfiguredAgent: var retired } =>
                ApiProblems.Invalid("agent", $"the schedule's agent '{retired}' is no longer configured; name one of: {configured}."),
        };
    }

    private static async Task<Results<Ok<FeedbackView>, ValidationProblem, ProblemHttpResult>> GiveFeedbackAsync(
        Guid id, FeedbackRequest body, ClaimsPrincipal user, RecapFeedbackStore feedbacks, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var rating = RecapRatingText.Find(body.Rating);
        if (rating is null)
        {
            errors.Add("rating", $"rating is required and must be one of: {string.Join(", ", RecapRatingText.All)}.");
        }

        if (body.Comment is { } comment && TextLength.Of(comment) > MaxCommentLength)
        {
            errors.Add("comment", $"comment must be at most {MaxCommentLength} characters.");
        }

        StoredText.Check(errors, "comment", body.Comment, multiline: true);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var given = await feedbacks.GiveAsync(id, user.Id(), new RecapFeedback(rating!.Value, body.Comment, clock.GetCurrentInstant()), cancellationToken);
        return given is null ? ApiProblems.NotFound("recap") : TypedResults.Ok(FeedbackView.From(given));
    }
}
