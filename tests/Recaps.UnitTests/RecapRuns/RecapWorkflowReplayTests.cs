using NodaTime;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.RecapRuns;
using Temporalio.Api.Enums.V1;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace Recaps.Tests.RecapRuns;

/// <summary>
/// Runs <see cref="RecapWorkflow"/> in the SDK's real workflow runtime against histories built
/// in code. A replay fails if the workflow's commands (activity types, their order, complete or
/// fail) differ from the history's; it does not compare activity inputs or the result, so those
/// are asserted on what the recorder saw. Histories a server produces on demand are recorded from
/// one instead (RecordedHistoryReplayTests); those here are built because a server cannot be made
/// to show them at will: cancellations racing an activity's result, a retryable generation failure
/// that exhausts its hour, a failed claim, a start without a nominal time, and deliberately broken histories.
/// </summary>
public class RecapWorkflowReplayTests
{
    // Activity type names are part of every recorded history, so they are spelled out here:
    // renaming an activity method must fail these tests.
    internal const string ResolveChannels = "ResolveChannels";
    internal const string GenerateRecap = "GenerateRecap";
    internal const string MarkExecuted = "MarkExecuted";
    internal const string MarkFailed = "MarkFailed";

    private static readonly Guid ScheduleId = Guid.Parse("0195f3a0-7c2e-7000-8000-00000000a001");
    private static readonly Guid RunId = Guid.Parse("0195f3a0-7c2e-7000-8000-00000000b001");
    private static readonly Guid RecapId = Guid.Parse("0195f3a0-7c2e-7000-8000-00000000c001");
    private static readonly Instant Nominal = Instant.FromUtc(2026, 3, 9, 8, 0);
    private static readonly string ScheduledWorkflowId = $"recap-{ScheduleId}-2026-03-09T08:00:00Z";

    [Fact]
    public async Task RunAsync_ScheduledOccurrence_ResolvesGeneratesMarksAndCompletes()
    {
        var history = GeneratedRun()
            .ActivityCompleted(MarkExecuted, new MarkExecutedInput(RunId), new MarkExecutedResult(true, false))
            .Completed(new(RecapOutcomeStatus.Completed, RunId, RecapId, null))
            .Build(ScheduledWorkflowId);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Completed, RunId, RecapId, null), recorder.Result);
        Assert.Equal(
            [
                new(ResolveChannels, ResolveInput()),
                new(GenerateRecap, new GenerateRecapInput(RunId)),
                new ScheduledActivity(MarkExecuted, new MarkExecutedInput(RunId)),
            ],
            recorder.Activities);
    }

    [Fact]
    public async Task RunAsync_MarkExecutedRouted_SendsItsPendingDeliveries_WithoutAPlanningStep()
    {
        var deliveryId = Guid.Parse("0195f3a0-7c2e-7000-8000-00000000d001");
        var history = GeneratedRun()
            .ActivityCompleted(MarkExecuted, new MarkExecutedInput(RunId), new MarkExecutedResult(true, false, [deliveryId]))
            .Patched(RecapWorkflow.RoutedWhenMarkedPatch)
            .ActivityCompleted("DeliverRecap", new DeliverRecapInput(deliveryId), new DeliveryResult("delivered", null))
            .Completed(new(RecapOutcomeStatus.Completed, RunId, RecapId, null))
            .Build(ScheduledWorkflowId);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Completed, RunId, RecapId, null), recorder.Result);
        Assert.Equal(new ScheduledActivity("DeliverRecap", new DeliverRecapInput(deliveryId)), recorder.Activities[^1]);
        Assert.Equal(4, recorder.Activities.Count);
    }

    [Fact]
    public async Task RunAsync_MarkExecutedOfAnOlderWorkerDidNotRoute_RoutesInAStepOfItsOwn()
    {
        // A rolling deployment: this workflow code, its MarkExecuted run by a worker from before routing moved there.
        var history = GeneratedRun()
            .ActivityCompleted(MarkExecuted, new MarkExecutedInput(RunId), new MarkExecutedResult(true, false))
            .Patched(RecapWorkflow.RoutedWhenMarkedPatch)
            .ActivityCompleted("PlanDeliveries", new PlanDeliveriesInput(RecapId), new PlannedDeliveries([]))
            .Completed(new(RecapOutcomeStatus.Completed, RunId, RecapId, null))
            .Build(ScheduledWorkflowId);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Completed, RunId, RecapId, null), recorder.Result);
        Assert.Equal(new ScheduledActivity("PlanDeliveries", new PlanDeliveriesInput(RecapId)), recorder.Activities[^1]);
    }

    [Fact]
    public async Task ReplayWorkflowAsync_CommittedScheduledRunHistory_Completes()
    {
        // Hand-built (by RecapHistoryBuilder) for this workflow's first version, before histories were
        // recorded from a server (RecordedHistoryReplayTests), and frozen: it stands for runs already in
        // flight when a new version deploys. If it stops replaying, the change needs Workflow.Patched, not a new file.
        var json = await HistoryFiles.ReadAsync("scheduled-completed");

        var recorder = await ReplayRecorder.ReplayAsync(WorkflowHistory.FromJson(ScheduledWorkflowId, json));

        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Completed, RunId, RecapId, null), recorder.Result);
        Assert.Equal([ResolveChannels, GenerateRecap, MarkExecuted], recorder.Activities.Select(a => a.Type));
    }

    public static TheoryData<string, Guid> SkipReasons => new()
    {
        { $"duplicate occurrence 2026-03-09: already run by recap-{ScheduleId}-run-0195f3a0", RunId },
        { "paused by the user: on holiday", RunId },
        { "paused by the user", RunId },
        { "the schedule was deleted", RunId },
        { "the one-time schedule has already run", RunId },
        { $"schedule {ScheduleId} does not exist", Guid.Empty },
    };

    [Theory]
    [MemberData(nameof(SkipReasons))]
    public async Task RunAsync_SkippedOccurrence_ReturnsSkippedWithReasonAndRunsNothingElse(string reason, Guid runId)
    {
        var history = ScheduledRun()
            .ActivityCompleted(ResolveChannels, ResolveInput(), new ResolvedOccurrence(runId, "2026-03-09", reason, Nominal, Nominal, []))
            .Completed(new(RecapOutcomeStatus.Skipped, runId, null, reason))
            .Build(ScheduledWorkflowId);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Skipped, runId, null, reason), recorder.Result);
        Assert.Equal([ResolveChannels], recorder.Activities.Select(a => a.Type));
    }

    [Theory]
    [InlineData("InvalidRecapData", "agent 'gpt-x' is not configured", RunErrors.InvalidSchedule)]
    [InlineData("AllChannelsFailed", "Every channel failed: c1: model overloaded", RunErrors.AllChannelsFailed)]
    [InlineData("ScheduleDeleted", "schedule deleted after run was claimed", RunErrors.ScheduleDeleted)]
    public async Task RunAsync_GenerationFails_MarksFailedAndFailsAsRecapFailed(string errorType, string message, string shown)
    {
        // Non-retryable: bad data or a deleted schedule, first attempt. Retryable: every attempt the retry policy allows failed.
        var nonRetryable = errorType != "AllChannelsFailed";
        var generationFailure = new ApplicationFailureException(message, errorType, nonRetryable: nonRetryable);
        // The user sees a code and a safe message; what failed goes to the log (and stays in the history).
        var history = ScheduledRun()
            .ActivityCompleted(ResolveChannels, ResolveInput(), Claimed())
            .ActivityFailed(GenerateRecap, new GenerateRecapInput(RunId), generationFailure, attempts: nonRetryable ? 1 : 5)
            .ActivityCompleted(MarkFailed, new MarkFailedInput(ScheduleId, ScheduledWorkflowId, Nominal, shown, generationFailure.Message), null)
            .Failed(new ApplicationFailureException($"Recap failed: {shown}", "RecapFailed", nonRetryable: true))
            .Build(ScheduledWorkflowId);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        Assert.Null(recorder.Result);
        var failure = Assert.IsType<ApplicationFailureException>(recorder.Failure);
        Assert.Equal("RecapFailed", failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.StartsWith($"Recap failed: {shown}: ", failure.Message, StringComparison.Ordinal);
        var activityFailure = Assert.IsType<ActivityFailureException>(failure.InnerException);
        Assert.Equal(GenerateRecap, activityFailure.ActivityType);
        var cause = Assert.IsType<ApplicationFailureException>(activityFailure.InnerException);
        Assert.Equal(generationFailure.ErrorType, cause.ErrorType);
        Assert.Equal(
            [ResolveChannels, GenerateRecap, MarkFailed],
            recorder.Activities.Select(a => a.Type));
        var marked = Assert.IsType<MarkFailedInput>(recorder.Activities[^1].Input);
        Assert.Equal((ScheduleId, ScheduledWorkflowId, Nominal, generationFailure.Message), (marked.ScheduleId, marked.WorkflowId, marked.NominalTime, marked.Detail));
        Assert.StartsWith($"{shown}: ", marked.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(generationFailure.Message, marked.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ClaimFails_MarksFailedWithNominalTimeAndFailsAsRecapFailed()
    {
        var claimFailure = new ApplicationFailureException($"schedule {ScheduleId} does not exist", "InvalidRecapData", nonRetryable: true);
        var history = ScheduledRun()
            .ActivityFailed(ResolveChannels, ResolveInput(), claimFailure)
            .ActivityCompleted(MarkFailed, new MarkFailedInput(ScheduleId, ScheduledWorkflowId, Nominal, RunErrors.InvalidSchedule, claimFailure.Message), null)
            .Failed(new ApplicationFailureException($"Recap failed: {RunErrors.InvalidSchedule}", "RecapFailed", nonRetryable: true))
            .Build(ScheduledWorkflowId);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        Assert.Equal("RecapFailed", Assert.IsType<ApplicationFailureException>(recorder.Failure).ErrorType);
        Assert.Equal([ResolveChannels, MarkFailed], recorder.Activities.Select(a => a.Type));
        var marked = Assert.IsType<MarkFailedInput>(recorder.Activities[^1].Input);
        Assert.Equal((ScheduleId, ScheduledWorkflowId, Nominal, claimFailure.Message), (marked.ScheduleId, marked.WorkflowId, marked.NominalTime, marked.Detail));
        Assert.StartsWith($"{RunErrors.InvalidSchedule}: ", marked.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RunNow_ClaimsWithRequestTimeAndCompletes()
    {
        var requestedAt = Instant.FromUtc(2026, 3, 9, 14, 27, 31);
        var workflowId = $"recap-{ScheduleId}-run-{RunId}";
        var resolveInput = new ResolveChannelsInput(ScheduleId, workflowId, requestedAt, RunId, RecapHistoryBuilder.WaitedForWorker);
        var history = RecapHistoryBuilder.Started(new RecapRequest(ScheduleId, RunId, requestedAt), requestedAt)
            .ActivityCompleted(ResolveChannels, resolveInput, Claimed() with { OccurrenceKey = $"run-{RunId:N}", WindowEnd = requestedAt })
            .ActivityCompleted(GenerateRecap, new GenerateRecapInput(RunId), new GeneratedRecap(RecapId, 1, 3, 0))
            .ActivityCompleted(MarkExecuted, new MarkExecutedInput(RunId), new MarkExecutedResult(true, false))
            .Completed(new(RecapOutcomeStatus.Completed, RunId, RecapId, null))
            .Build(workflowId);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Completed, RunId, RecapId, null), recorder.Result);
        Assert.Equal([ResolveChannels, GenerateRecap, MarkExecuted], recorder.Activities.Select(a => a.Type));
        Assert.Equal(resolveInput, recorder.Activities[0].Input);
    }

    [Fact]
    public async Task RunAsync_NoScheduledStartTimeNorRequestTime_FailsAsInvalidRequestWithoutActivities()
    {
        var history = RecapHistoryBuilder.Started(new RecapRequest(ScheduleId), Nominal)
            .Failed(new ApplicationFailureException("no nominal time", "InvalidRecapRequest", nonRetryable: true))
            .Build($"recap-{ScheduleId}");

        var recorder = await ReplayRecorder.ReplayAsync(history);

        var failure = Assert.IsType<ApplicationFailureException>(recorder.Failure);
        Assert.Equal("InvalidRecapRequest", failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Empty(recorder.Activities);
    }

    [Fact]
    public async Task ReplayWorkflowAsync_HistoryWithRenamedActivity_FailsAsNondeterministic()
    {
        var history = ScheduledRun()
            .ActivityCompleted(ResolveChannels, ResolveInput(), Claimed())
            .ActivityCompleted("GenerateSummary", new GenerateRecapInput(RunId), new GeneratedRecap(RecapId, 2, 17, 0))
            .ActivityCompleted(MarkExecuted, new MarkExecutedInput(RunId), new MarkExecutedResult(true, false))
            .Completed(new(RecapOutcomeStatus.Completed, RunId, RecapId, null))
            .Build(ScheduledWorkflowId);

        var failure = await Assert.ThrowsAsync<WorkflowNondeterminismException>(() => ReplayRecorder.ReplayAsync(history));

        Assert.Contains("GenerateSummary", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayWorkflowAsync_HistoryWithoutMarkExecuted_FailsAsNondeterministic()
    {
        var history = GeneratedRun()
            .Completed(new(RecapOutcomeStatus.Completed, RunId, RecapId, null))
            .Build(ScheduledWorkflowId);

        await Assert.ThrowsAsync<WorkflowNondeterminismException>(() => ReplayRecorder.ReplayAsync(history));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_CancelledWhileGenerating_MarksFailedThenEndsCancelled(bool generationAcknowledges)
    {
        var history = CancelledWhileGenerating(generationAcknowledges, withMarkFailed: true);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        Assert.Null(recorder.Result);
        // The SDK resolves a TryCancel activity as cancelled as soon as it asks the server to
        // cancel it: the workflow sees this whether or not the activity ever acknowledges.
        var failure = Assert.IsType<ActivityFailureException>(recorder.Failure);
        Assert.Equal("Activity cancelled", failure.Message);
        Assert.Equal(GenerateRecap, failure.ActivityType);
        Assert.Equal("2", failure.ActivityId);
        Assert.Equal(RetryState.CancelRequested, failure.RetryState);
        var cause = Assert.IsType<CanceledFailureException>(failure.InnerException);
        Assert.Equal(string.Empty, cause.Message);
        Assert.Equal([ResolveChannels, GenerateRecap, MarkFailed], recorder.Activities.Select(a => a.Type));
        Assert.Equal(new MarkFailedInput(ScheduleId, ScheduledWorkflowId, Nominal, "cancelled"), recorder.Activities[^1].Input);
        // From GenerateRecap's ActivityTaskScheduled (event 11) on, the history replayed was:
        EventType[] afterGeneration = generationAcknowledges
            ?
            [
                EventType.ActivityTaskScheduled, EventType.WorkflowExecutionCancelRequested,
                EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted, EventType.WorkflowTaskCompleted,
                EventType.ActivityTaskCancelRequested, EventType.ActivityTaskScheduled,
                EventType.ActivityTaskStarted, EventType.ActivityTaskCanceled,
                EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted, EventType.WorkflowTaskCompleted,
                EventType.ActivityTaskStarted, EventType.ActivityTaskCompleted,
                EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted, EventType.WorkflowTaskCompleted,
                EventType.WorkflowExecutionCanceled,
            ]
            :
            [
                EventType.ActivityTaskScheduled, EventType.WorkflowExecutionCancelRequested,
                EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted, EventType.WorkflowTaskCompleted,
                EventType.ActivityTaskCancelRequested, EventType.ActivityTaskScheduled,
                EventType.ActivityTaskStarted, EventType.ActivityTaskCompleted,
                EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted, EventType.WorkflowTaskCompleted,
                EventType.WorkflowExecutionCanceled,
            ];
        Assert.Equal(afterGeneration, history.Events.Skip(10).Select(e => e.EventType));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReplayWorkflowAsync_CancelledWhileGeneratingWithoutMarkFailed_FailsAsNondeterministic(bool generationAcknowledges)
    {
        // Without the acknowledgement this is what the workflow recorded before MarkFailed outlived
        // a cancellation (scheduling it threw at once): WorkflowExecutionCanceled right after
        // ActivityTaskCancelRequested, in the same workflow task.
        var history = CancelledWhileGenerating(generationAcknowledges, withMarkFailed: false);

        await Assert.ThrowsAsync<WorkflowNondeterminismException>(() => ReplayRecorder.ReplayAsync(history));
    }

    [Fact]
    public async Task ReplayWorkflowAsync_CancelledWhileGeneratingEndingFailed_FailsAsNondeterministic()
    {
        // The replay checks how the run ended, not only its activities.
        var history = CancelledWhileGenerating(generationAcknowledges: false, withMarkFailed: true, end: b =>
            b.Failed(new ApplicationFailureException("Recap failed: cancelled", "RecapFailed", nonRetryable: true)));

        var failure = await Assert.ThrowsAsync<WorkflowNondeterminismException>(() => ReplayRecorder.ReplayAsync(history));

        Assert.Contains("Cancel workflow machine does not handle this event", failure.Message, StringComparison.Ordinal);
        Assert.Contains("WorkflowExecutionFailed", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_CancelledInTheTaskOfTheClaimsResult_MarksFailedThenEndsCancelled(bool requestedBeforeClaimCompleted)
    {
        var history = CancelledWithClaimResult(requestedBeforeClaimCompleted, withMarkFailed: true);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        // The workflow code runs once both jobs are applied: GenerateRecap meets a cancelled token
        // and is never scheduled (it takes no activity id; MarkFailed gets "2").
        var failure = Assert.IsType<CanceledFailureException>(recorder.Failure);
        Assert.Equal("Activity cancelled before scheduled", failure.Message);
        Assert.Equal([ResolveChannels, GenerateRecap, MarkFailed], recorder.Activities.Select(a => a.Type));
        Assert.Equal(new MarkFailedInput(ScheduleId, ScheduledWorkflowId, Nominal, "cancelled"), recorder.Activities[^1].Input);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReplayWorkflowAsync_CancelledInTheTaskOfTheClaimsResultWithoutMarkFailed_FailsAsNondeterministic(bool requestedBeforeClaimCompleted)
    {
        // What the workflow recorded when it caught only ActivityFailureException: the claimed run stayed 'running'.
        var history = CancelledWithClaimResult(requestedBeforeClaimCompleted, withMarkFailed: false);

        await Assert.ThrowsAsync<WorkflowNondeterminismException>(() => ReplayRecorder.ReplayAsync(history));
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeItsFirstTask_MarksFailedWithoutClaimThenEndsCancelled()
    {
        // Nothing was claimed: MarkFailed records a failed run of its own, as after a failed claim.
        var markFailedInput = new MarkFailedInput(ScheduleId, ScheduledWorkflowId, Nominal, "cancelled");
        var history = ScheduledRun()
            .WorkflowTaskScheduled()
            .CancelRequested("cancelled by an operator")
            .ActivityCompleted(MarkFailed, markFailedInput, null)
            .Canceled()
            .Build(ScheduledWorkflowId);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        Assert.Equal("Activity cancelled before scheduled", Assert.IsType<CanceledFailureException>(recorder.Failure).Message);
        Assert.Equal([ResolveChannels, MarkFailed], recorder.Activities.Select(a => a.Type));
        Assert.Equal(markFailedInput, recorder.Activities[^1].Input);
    }

    /// <summary>
    /// The run is cancelled while GenerateRecap runs. The workflow's next task asks the server to
    /// cancel GenerateRecap and, in the same task, schedules MarkFailed. GenerateRecap hears of the
    /// request on a heartbeat: if it acknowledges before MarkFailed completes, its ActivityTaskStarted
    /// and ActivityTaskCanceled come next (and wake the workflow for nothing); if not, the run ends
    /// first and the server drops the late acknowledgement.
    /// </summary>
    private static WorkflowHistory CancelledWhileGenerating(
        bool generationAcknowledges, bool withMarkFailed, Func<RecapHistoryBuilder, RecapHistoryBuilder>? end = null)
    {
        var history = ScheduledRun()
            .ActivityCompleted(ResolveChannels, ResolveInput(), Claimed())
            .ActivityScheduled(GenerateRecap, new GenerateRecapInput(RunId))
            .CancelRequested("cancelled by an operator")
            .ActivityCancelRequested(GenerateRecap);
        if (withMarkFailed)
        {
            history.ActivityScheduled(MarkFailed, new MarkFailedInput(ScheduleId, ScheduledWorkflowId, Nominal, "cancelled"));
        }

        if (generationAcknowledges)
        {
            history.ScheduledActivityCanceled(GenerateRecap);
        }

        if (withMarkFailed)
        {
            history.ScheduledActivityCompleted(MarkFailed, null);
        }

        return (end ?? (b => b.Canceled()))(history).Build(ScheduledWorkflowId);
    }

    /// <summary>
    /// The cancellation request and ResolveChannels' result land in one workflow task: the request
    /// arrives either while ResolveChannels runs, just before it completes, or just after it
    /// completed, before a worker picks up the task its result scheduled.
    /// </summary>
    private static WorkflowHistory CancelledWithClaimResult(bool requestedBeforeClaimCompleted, bool withMarkFailed)
    {
        var history = ScheduledRun();
        if (requestedBeforeClaimCompleted)
        {
            history.ActivityScheduled(ResolveChannels, ResolveInput())
                .CancelRequested("cancelled by an operator")
                .WorkflowTaskScheduled()
                .ScheduledActivityCompleted(ResolveChannels, Claimed());
        }
        else
        {
            history.ActivityCompleted(ResolveChannels, ResolveInput(), Claimed())
                .WorkflowTaskScheduled()
                .CancelRequested("cancelled by an operator");
        }

        if (withMarkFailed)
        {
            history.ActivityCompleted(MarkFailed, new MarkFailedInput(ScheduleId, ScheduledWorkflowId, Nominal, "cancelled"), null);
        }

        return history.Canceled().Build(ScheduledWorkflowId);
    }

    private static RecapHistoryBuilder ScheduledRun() =>
        RecapHistoryBuilder.Started(new RecapRequest(ScheduleId), Nominal + Duration.FromSeconds(37), scheduledStartTime: Nominal);

    /// <summary>A scheduled run that claimed its occurrence and stored its recap.</summary>
    private static RecapHistoryBuilder GeneratedRun() => ScheduledRun()
        .ActivityCompleted(ResolveChannels, ResolveInput(), Claimed())
        .ActivityCompleted(GenerateRecap, new GenerateRecapInput(RunId), new GeneratedRecap(RecapId, 2, 17, 0));

    private static ResolveChannelsInput ResolveInput() => new(ScheduleId, ScheduledWorkflowId, Nominal, null, RecapHistoryBuilder.WaitedForWorker);

    private static ResolvedOccurrence Claimed() => new(
        RunId, "2026-03-09", null, Nominal - Duration.FromDays(1), Nominal,
        [new RecapChannel("c1", "general", null), new RecapChannel("c2", "releases", null)]);
}
