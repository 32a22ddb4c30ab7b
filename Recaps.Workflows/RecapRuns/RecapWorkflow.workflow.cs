using NodaTime;
using Recaps.Workflows.Delivery;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Recaps.Workflows.RecapRuns;

/// <summary>One occurrence of a schedule: claim it, generate and store its recap, mark it done.</summary>
[Workflow]
public sealed class RecapWorkflow
{
    /// <summary>Set by Temporal on every scheduled start: the occurrence's nominal (unjittered) time.</summary>
    public static readonly SearchAttributeKey<DateTimeOffset> ScheduledStartTime =
        SearchAttributeKey.CreateDateTimeOffset("TemporalScheduledStartTime");

    /// <summary>How long claims and bookkeeping retry through a database outage (and wait out another run of the schedule).</summary>
    public static readonly TimeSpan BookkeepingBudget = TimeSpan.FromHours(2);

    /// <summary>How long generation retries before the run fails; the next occurrence covers its window.</summary>
    public static readonly TimeSpan GenerationBudget = TimeSpan.FromHours(1);

    /// <summary>
    /// The longest a claimed run can legitimately stay 'running': the claim's own activity retrying
    /// after its claim committed (its answer lost to an outage), generation, then marking it executed.
    /// </summary>
    public static readonly TimeSpan LongestClaimedRun = BookkeepingBudget + GenerationBudget + BookkeepingBudget;

    /// <summary>Claims and bookkeeping (a delivery's routing too): retried through a database outage for <see cref="BookkeepingBudget"/>.</summary>
    internal static readonly ActivityOptions Bookkeeping = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = BookkeepingBudget,
        RetryPolicy = new() { InitialInterval = TimeSpan.FromSeconds(1), MaximumInterval = TimeSpan.FromMinutes(1) },
    };

    // Bounded by time, not attempts, so a short database outage does not fail the run. Generators
    // heartbeat per channel; one whose single call takes longer than the heartbeat timeout must heartbeat itself.
    // The heartbeat timeout is how long a run waits when its worker dies mid-generation (a crash, the OOM
    // killer, a lost node: nothing tells Temporal), so it is short; a channel takes milliseconds.
    // A regeneration writes its version with the same options.
    internal static readonly ActivityOptions Generation = new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(10),
        ScheduleToCloseTimeout = GenerationBudget,
        HeartbeatTimeout = TimeSpan.FromSeconds(30),
        RetryPolicy = new() { InitialInterval = TimeSpan.FromSeconds(2), MaximumInterval = TimeSpan.FromMinutes(1) },
    };

    // Recording a failure must outlive the outage that caused it, and a cancellation of the
    // workflow: a run left 'running' would hold back the schedule's next run.
    private static readonly ActivityOptions FailureRecording = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        RetryPolicy = new() { InitialInterval = TimeSpan.FromSeconds(1), MaximumInterval = TimeSpan.FromMinutes(5) },
        CancellationToken = CancellationToken.None,
    };

    /// <summary>The patch that added delivery after the run is marked executed; histories without it end there.</summary>
    public const string DeliveryPatch = "deliver-recaps";

    /// <summary>
    /// The patch after which <c>MarkExecuted</c> also routes the delivery, so a run needs no
    /// <c>PlanDeliveries</c> activity; histories with <see cref="DeliveryPatch"/> alone route in one.
    /// </summary>
    public const string RoutedWhenMarkedPatch = "route-when-marked";

    [WorkflowRun]
    public async Task<RecapOutcome> RunAsync(RecapRequest request)
    {
        var nominal = NominalTime(request);
        var workflowId = Workflow.Info.WorkflowId;
        // Both times are in the history, so a replay computes the same wait.
        var waitedForWorker = Workflow.Info.StartTime - Workflow.Info.WorkflowStartTime;
        RecapOutcome completed;
        MarkExecutedResult marked;
        try
        {
            var occurrence = await Workflow.ExecuteActivityAsync(
                (RecapActivities a) => a.ResolveChannelsAsync(new(request.ScheduleId, workflowId, nominal, request.RunId, waitedForWorker)),
                Bookkeeping);
            if (occurrence.Skipped)
            {
                return new(RecapOutcomeStatus.Skipped, occurrence.RunId, null, occurrence.SkipReason);
            }

            var recap = await Workflow.ExecuteActivityAsync(
                (RecapActivities a) => a.GenerateRecapAsync(new(occurrence.RunId)), Generation);
            marked = await Workflow.ExecuteActivityAsync(
                (RecapActivities a) => a.MarkExecutedAsync(new(occurrence.RunId)), Bookkeeping);
            completed = new(RecapOutcomeStatus.Completed, occurrence.RunId, recap.RecapId, null);
        }
        catch (Exception failure) when (failure is ActivityFailureException || TemporalException.IsCanceledException(failure))
        {
            // A cancellation of the workflow surfaces as the running activity's cancellation
            // (ActivityFailureException around a CanceledFailureException without a message) or, when
            // it lands in the same workflow task as an activity's result, as the CanceledFailureException
            // of scheduling the next activity. Either way the claimed run must not stay 'running'.
            var cancelled = Workflow.CancellationToken.IsCancellationRequested && TemporalException.IsCanceledException(failure);
            var error = cancelled ? RunErrors.Cancelled : RunErrors.Describe(failure);
            var detail = cancelled ? null : failure.InnerException?.Message ?? failure.Message;
            await Workflow.ExecuteActivityAsync(
                (RecapActivities a) => a.MarkFailedAsync(new(request.ScheduleId, workflowId, nominal, error, detail)),
                FailureRecording);
            if (cancelled)
            {
                throw;
            }

            throw new ApplicationFailureException($"Recap failed: {error}", failure, "RecapFailed", nonRetryable: true);
        }

        // After the run is executed, so the next occurrence never waits for a slow receiver, and outside
        // the run's failure handling: a delivery that fails is recorded on the recap, not on the run.
        if (Workflow.Patched(RoutedWhenMarkedPatch))
        {
            // A MarkExecuted that did not route (an older worker's, during a rolling deployment) leaves it to a step of its own.
            await (marked.Pending is { } pending ? DeliverySteps.SendAsync(pending) : DeliverySteps.DeliverAsync(completed.RecapId!.Value));
        }
        else if (Workflow.Patched(DeliveryPatch))
        {
            await DeliverySteps.DeliverAsync(completed.RecapId!.Value);
        }

        return completed;
    }

    private static Instant NominalTime(RecapRequest request)
    {
        if (request.RequestedAt is not null != request.RunId is not null)
        {
            throw new ApplicationFailureException(
                "A run-now RecapRequest carries both RunId and RequestedAt; a scheduled one neither.", "InvalidRecapRequest", nonRetryable: true);
        }

        if (request.RequestedAt is { } requestedAt)
        {
            return requestedAt;
        }

        if (Workflow.TypedSearchAttributes.TryGetValue(ScheduledStartTime, out var scheduled))
        {
            return Instant.FromDateTimeOffset(scheduled);
        }

        throw new ApplicationFailureException(
            "RecapWorkflow needs a TemporalScheduledStartTime (started by a schedule) or a run-now request time.",
            "InvalidRecapRequest",
            nonRetryable: true);
    }
}
