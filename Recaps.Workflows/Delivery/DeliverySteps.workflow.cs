using Recaps.Workflows.RecapRuns;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Recaps.Workflows.Delivery;

/// <summary>
/// Delivering a stored recap, as workflow code: route it once (a scheduled run's <c>MarkExecuted</c>
/// routes it itself), then one send per pending target, in parallel. Shared by a schedule's run and a
/// regeneration: both are routed by the schedule's <c>deliverTo</c> or the user's targets as they are
/// when the recap is stored.
/// A delivery that fails is recorded on the recap; it never fails the workflow that made the recap.
/// </summary>
public static class DeliverySteps
{
    // A send is bounded by its sender's timeout (a webhook's at most a minute). The attempts are counted
    // in the database (Recaps:Delivery:MaxAttempts), crashes included; the day only stops a delivery whose
    // database stays away, which is then left pending.
    private static readonly ActivityOptions Sending = new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(2),
        ScheduleToCloseTimeout = TimeSpan.FromDays(1),
        RetryPolicy = new() { InitialInterval = TimeSpan.FromSeconds(30), BackoffCoefficient = 2, MaximumInterval = TimeSpan.FromMinutes(10) },
    };

    public static async Task DeliverAsync(Guid recapId)
    {
        PlannedDeliveries planned;
        try
        {
            planned = await Workflow.ExecuteActivityAsync((DeliveryActivities a) => a.PlanDeliveriesAsync(new(recapId)), RecapWorkflow.Bookkeeping);
        }
        catch (ActivityFailureException failure) when (!Workflow.CancellationToken.IsCancellationRequested)
        {
            Workflow.Logger.NotRouted(failure, recapId);
            return;
        }

        await SendAsync(planned.Pending);
    }

    /// <summary>One send per routed delivery, in parallel.</summary>
    public static Task SendAsync(IReadOnlyList<Guid> pending) => Workflow.WhenAllAsync(pending.Select(SendOneAsync));

    private static async Task SendOneAsync(Guid deliveryId)
    {
        try
        {
            await Workflow.ExecuteActivityAsync((DeliveryActivities a) => a.DeliverRecapAsync(new(deliveryId)), Sending);
        }
        catch (ActivityFailureException failure) when (!Workflow.CancellationToken.IsCancellationRequested)
        {
            // Retryable failures are recorded on the delivery before each retry; this is what was left.
            Workflow.Logger.NoOutcome(failure, deliveryId);
        }
    }
}
