using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Telemetry;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace Recaps.Workflows.Delivery;

/// <summary>
/// The delivery activities of <c>RecapWorkflow</c>, run after its recap is stored. Each is safe to run
/// again: a delivery recorded delivered or failed is never sent again. A send whose outcome was lost (the
/// worker died after the receiver took it, before the database heard) is sent again under the same id.
/// </summary>
public sealed class DeliveryActivities(
    RecapRepository recaps,
    DeliveryRouter router,
    RecapDeliveryStore deliveries,
    WebhookSender webhooks,
    EmailSender email,
    IOptions<DeliveryOptions> options,
    IClock clock,
    RecapsMetrics metrics,
    ILogger<DeliveryActivities> logger)
{
    /// <summary>The failure type of a send worth another attempt (retried by Temporal with backoff).</summary>
    public const string DeliveryDeferredType = "DeliveryDeferred";

    /// <summary>
    /// Routes the recap (<see cref="DeliveryRouter"/>): a regeneration's step, and a scheduled run's in
    /// histories from before <c>MarkExecuted</c> routed it.
    /// </summary>
    [Activity]
    public async Task<PlannedDeliveries> PlanDeliveriesAsync(PlanDeliveriesInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new(await router.RouteAsync(input.RecapId, ActivityExecutionContext.Current.CancellationToken));
    }

    /// <summary>
    /// Sends one delivery. A refusal that will not change is recorded failed at once; a failure worth
    /// retrying is recorded on the delivery and thrown, so Temporal tries again, until
    /// <see cref="DeliveryOptions.MaxAttempts"/> sends have been made.
    /// </summary>
    [Activity]
    public async Task<DeliveryResult> DeliverRecapAsync(DeliverRecapInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = ActivityExecutionContext.Current.CancellationToken;
        var delivery = await deliveries.GetAsync(input.DeliveryId, cancellationToken);
        if (delivery is null || await recaps.GetAsync(delivery.RecapId, cancellationToken) is not { } recap)
        {
            throw Gone(input.DeliveryId);
        }

        if (delivery.Status != DeliveryStatus.Pending || await deliveries.BeginAttemptAsync(delivery.Id, cancellationToken) is not { } attempt)
        {
            return await ResultAsync(delivery.Id, cancellationToken);
        }

        var maxAttempts = options.Value.MaxAttempts;
        if (attempt > maxAttempts)
        {
            // The earlier sends never recorded an end (their worker died mid-send, or the database was down then).
            logger.DeliveryGaveUp(delivery.Id, recap.Id, maxAttempts);
            return await EndAsync(delivery, DeliveryStatus.Failed, delivery.Error ?? DeliveryErrors.Describe("delivery_interrupted"), cancellationToken);
        }

        try
        {
            await SendAsync(delivery, recap, cancellationToken);
        }
        catch (DeliveryFailedException failure)
        {
            logger.DeliveryFailed(failure, delivery.Id, recap.Id, delivery.Target.Type, attempt, failure.Code, failure.Retryable);
            var error = DeliveryErrors.Describe(failure.Code);
            if (!failure.Retryable || attempt >= maxAttempts)
            {
                return await EndAsync(delivery, DeliveryStatus.Failed, error, cancellationToken);
            }

            if (await deliveries.RecordAsync(delivery.Id, DeliveryStatus.Pending, error, clock.GetCurrentInstant(), cancellationToken))
            {
                metrics.Delivery(delivery.Target.Type, "retried");
            }

            throw new ApplicationFailureException(error, failure, DeliveryDeferredType);
        }

        return await EndAsync(delivery, DeliveryStatus.Delivered, null, cancellationToken);
    }

    private Task SendAsync(RecapDelivery delivery, StoredRecap recap, CancellationToken cancellationToken) => delivery.Target switch
    {
        WebhookTarget webhook => webhooks.SendAsync(webhook, recap, delivery.Id, cancellationToken),
        EmailTarget address => email.SendAsync(address, recap, delivery.Id, cancellationToken),
        // In-app deliveries are delivered when planned; nothing is sent.
        _ => Task.CompletedTask,
    };

    private async Task<DeliveryResult> EndAsync(RecapDelivery delivery, DeliveryStatus status, string? error, CancellationToken cancellationToken)
    {
        if (await deliveries.RecordAsync(delivery.Id, status, error, clock.GetCurrentInstant(), cancellationToken))
        {
            metrics.Delivery(delivery.Target.Type, status.ToText());
        }

        return await ResultAsync(delivery.Id, cancellationToken);
    }

    private async Task<DeliveryResult> ResultAsync(Guid id, CancellationToken cancellationToken)
    {
        var stored = await deliveries.GetAsync(id, cancellationToken) ?? throw Gone(id);
        return new(stored.Status.ToText(), stored.Error);
    }

    // Retention purged the recap, and its deliveries with it, while they were under way.
    private static ApplicationFailureException Gone(Guid id) => new($"delivery {id} or its recap no longer exists (purged)", "DeliveryGone", nonRetryable: true);
}
