using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Api.Auth;
using Recaps.Api.Hosting;
using Recaps.Api.Problems;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Api.Delivery;

public sealed record DeliveryRequest(IReadOnlyList<DeliveryTargetInput?>? Targets);

/// <summary>A target as shown: a webhook's secret and its URL's path are write-only and never come back.</summary>
public sealed record DeliveryTargetView(string Type, string? Url, string? Address)
{
    public static DeliveryTargetView From(DeliveryTarget target) => target switch
    {
        WebhookTarget webhook => new(webhook.Type, webhook.ShownUrl, null),
        EmailTarget email => new(email.Type, null, email.Address),
        _ => new(target.Type, null, null),
    };
}

public sealed record DeliveryResponse(IReadOnlyList<DeliveryTargetView> Targets);

/// <summary><c>/v1/me/delivery</c>: where the caller's recaps are delivered besides the app.</summary>
public static class DeliveryApi
{
    public static IEndpointRouteBuilder MapDeliveryApi(this IEndpointRouteBuilder app)
    {
        var delivery = app.MapGroup("/v1/me/delivery")
            .WithTags("Delivery")
            .RequireAuthorization()
            .RequireRateLimiting(UserRateLimiting.Policy)
            .ProducesCallerProblems();
        delivery.MapGet("/", GetAsync).WithSummary("The caller's delivery targets; `inApp` alone until they choose.");
        delivery.MapPut("/", SetAsync)
            .WithSummary("Replace the caller's delivery targets. Each webhook's secret and URL are sent every time; only the URL's host is shown. A target listed twice is kept once. A schedule's own `deliverTo` overrides these; each recap is routed once, when it is stored.")
            .ProducesBodyProblems();
        return app;
    }

    private static async Task<Ok<DeliveryResponse>> GetAsync(ClaimsPrincipal user, UserDeliveryStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(View(await store.GetAsync(user.Id(), cancellationToken)));

    private static async Task<Results<Ok<DeliveryResponse>, ValidationProblem>> SetAsync(
        DeliveryRequest body, ClaimsPrincipal user, UserDeliveryStore store, IOptions<DeliveryOptions> options, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (DeliveryTargetRules.Check(body.Targets, options.Value.AllowPrivateWebhookAddresses, errors) is not { } targets)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        await store.SetAsync(user.Id(), targets, clock.GetCurrentInstant(), cancellationToken);
        return TypedResults.Ok(View(targets));
    }

    private static DeliveryResponse View(IReadOnlyList<DeliveryTarget> targets) => new([.. targets.Select(DeliveryTargetView.From)]);
}
