using NodaTime.Text;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Common;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Worker;
using static Recaps.Tests.RecapRuns.RecapWorkflowReplayTests;

namespace Recaps.Tests.RecapRuns;

/// <summary>
/// Replays the histories the real Temporal server recorded (see EndToEnd/RecordedHistories) with the
/// current <see cref="RecapWorkflow"/>, without a server: a change that would break runs in flight
/// fails here. Schedule, run and recap ids differ per recording, so they are read from each history
/// (its started event and activity results); nominal times are the fixed ones the recordings backfill.
/// </summary>
public class RecordedHistoryReplayTests
{
    /// <summary>Recorded runs that returned an outcome: the case, its nominal time (none for run-now), its status and its reason.</summary>
    public static TheoryData<string, string?, RecapOutcomeStatus, string?> ReturnedRuns => new()
    {
        { "backfilled-completed", "2026-03-09T13:00:00Z", RecapOutcomeStatus.Completed, null },
        { "duplicate-occurrence", "2026-03-09T21:00:00Z", RecapOutcomeStatus.Skipped, "duplicate occurrence 2026-03-09: already run by recap-{scheduleId}-2026-03-09T13:00:00Z" },
        { "paused-by-user", "2026-03-09T13:00:00Z", RecapOutcomeStatus.Skipped, "paused by the user: on holiday" },
        { "run-now-completed", null, RecapOutcomeStatus.Completed, null },
        { "run-now-after-worker-restart", null, RecapOutcomeStatus.Completed, null },
        // The wait in the reason is the recording's own: "…" ends a reason known only by its start.
        { "no-worker-missed", "2026-12-01T08:00:00Z", RecapOutcomeStatus.Skipped, "no worker took it up within the catch-up window: waited 00:00:1…" },
    };

    private const string FailedRun = "agent-missing-failed";

    private const string DeliveredRun = "delivered-completed";

    private const string RoutedWhenMarkedRun = "routed-when-marked-delivered";

    [Theory]
    [MemberData(nameof(ReturnedRuns))]
    public async Task ReplayWorkflowAsync_RecordedRunThatReturned_ReturnsTheRecordedOutcome(
        string recordedCase, string? nominalTime, RecapOutcomeStatus status, string? reason)
    {
        var history = await LoadAsync(recordedCase);
        var request = Request(history);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        var outcome = Assert.IsType<RecapOutcome>(recorder.Result);
        var recorded = history.Events.Last().WorkflowExecutionCompletedEventAttributes.Result.Payloads_.Single();
        Assert.Equal(RecapsDataConverter.Instance.PayloadConverter.ToValue<RecapOutcome>(recorded), outcome);
        Assert.Equal(status, outcome.Status);
        var expectedReason = reason?.Replace("{scheduleId}", request.ScheduleId.ToString(), StringComparison.Ordinal);
        if (expectedReason is not null && expectedReason.EndsWith('…'))
        {
            Assert.StartsWith(expectedReason[..^1], outcome.Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expectedReason, outcome.Reason);
        }

        var runId = Assert.NotNull(outcome.RunId);
        Assert.Equal(
            status == RecapOutcomeStatus.Completed
                ?
                [
                    new(ResolveChannels, ResolveInput(history, request, nominalTime)),
                    new(GenerateRecap, new GenerateRecapInput(runId)),
                    new ScheduledActivity(MarkExecuted, new MarkExecutedInput(runId)),
                ]
                : [new ScheduledActivity(ResolveChannels, ResolveInput(history, request, nominalTime))],
            recorder.Activities);
    }

    [Fact]
    public async Task ReplayWorkflowAsync_RecordedRunWithoutItsAgent_MarksFailedAndFailsAsRecorded()
    {
        var history = await LoadAsync(FailedRun);
        var request = Request(history);
        var nominal = InstantPattern.General.Parse("2026-03-09T13:00:00Z").Value;

        var recorder = await ReplayRecorder.ReplayAsync(history);

        var failure = Assert.IsType<ApplicationFailureException>(recorder.Failure);
        var recorded = history.Events.Last().WorkflowExecutionFailedEventAttributes.Failure;
        Assert.Equal((recorded.ApplicationFailureInfo.Type, recorded.Message), (failure.ErrorType, failure.Message));
        Assert.Equal("RecapFailed", failure.ErrorType);
        Assert.StartsWith($"Recap failed: {RunErrors.InvalidSchedule}: ", failure.Message, StringComparison.Ordinal);
        Assert.True(failure.NonRetryable);
        Assert.Equal([ResolveChannels, GenerateRecap, MarkFailed], recorder.Activities.Select(a => a.Type));
        var marked = Assert.IsType<MarkFailedInput>(recorder.Activities[^1].Input);
        Assert.Equal((request.ScheduleId, history.Id, nominal, "agent 'extractive' is not configured"), (marked.ScheduleId, marked.WorkflowId, marked.NominalTime, marked.Detail));
        Assert.StartsWith($"{RunErrors.InvalidSchedule}: ", marked.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayWorkflowAsync_RecordedRunWithAWebhookTarget_RoutesAndDeliversAfterMarkingItExecuted()
    {
        var history = await LoadAsync(DeliveredRun);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        var outcome = Assert.IsType<RecapOutcome>(recorder.Result);
        Assert.Equal(RecapOutcomeStatus.Completed, outcome.Status);
        Assert.Equal([ResolveChannels, GenerateRecap, MarkExecuted, "PlanDeliveries", "DeliverRecap"], recorder.Activities.Select(a => a.Type));
        Assert.Equal(new PlanDeliveriesInput(outcome.RecapId!.Value), recorder.Activities[3].Input);
        Assert.IsType<DeliverRecapInput>(recorder.Activities[4].Input);
        Assert.Contains(history.Events, e => e.MarkerRecordedEventAttributes?.MarkerName == "core_patch");
    }

    [Fact]
    public async Task ReplayWorkflowAsync_RecordedRunRoutedWhenMarked_SendsWhatMarkExecutedRouted_WithoutAPlanningActivity()
    {
        var history = await LoadAsync(RoutedWhenMarkedRun);

        var recorder = await ReplayRecorder.ReplayAsync(history);

        var outcome = Assert.IsType<RecapOutcome>(recorder.Result);
        Assert.Equal(RecapOutcomeStatus.Completed, outcome.Status);
        Assert.Equal([ResolveChannels, GenerateRecap, MarkExecuted, "DeliverRecap"], recorder.Activities.Select(a => a.Type));
        var marked = history.Events.Single(e => e.ActivityTaskCompletedEventAttributes is { } completed
            && history.Events.Single(s => s.EventId == completed.ScheduledEventId).ActivityTaskScheduledEventAttributes.ActivityType.Name == MarkExecuted);
        var pending = RecapsDataConverter.Instance.PayloadConverter.ToValue<MarkExecutedResult>(marked.ActivityTaskCompletedEventAttributes.Result.Payloads_.Single()).Pending;
        Assert.Equal(new DeliverRecapInput(Assert.Single(pending!)), recorder.Activities[3].Input);
        // The one patch marker is the new one: a run started now never records the older patch.
        var patch = Assert.Single(history.Events, e => e.MarkerRecordedEventAttributes?.MarkerName == "core_patch");
        Assert.Contains($"\"{RecapWorkflow.RoutedWhenMarkedPatch}\"", patch.MarkerRecordedEventAttributes.Details["patch-data"].Payloads_.Single().Data.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayWorkflowAsync_RecordedRunWithActivitiesReordered_FailsAsNondeterministic()
    {
        var history = await LoadAsync("backfilled-completed");
        var options = new WorkflowReplayerOptions { DataConverter = RecapsDataConverter.Instance }.AddWorkflow<ReorderedRecapWorkflow>();

        var failure = await Assert.ThrowsAsync<WorkflowNondeterminismException>(
            () => new WorkflowReplayer(options).ReplayWorkflowAsync(history, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(MarkExecuted, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Histories_EveryCommittedFile_IsReplayedHereOrByRecapWorkflowReplayTests()
    {
        // A recording added without expectations here would guard nothing.
        string[] replayed = ["scheduled-completed", FailedRun, DeliveredRun, RoutedWhenMarkedRun, .. ReturnedRuns.Select(row => row.Data.Item1)];

        Assert.Equal(
            replayed.Select(HistoryFiles.FileName).Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(HistoryFiles.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>A committed history under the workflow id its started event names (the workflow reads it as Workflow.Info.WorkflowId).</summary>
    private static async Task<WorkflowHistory> LoadAsync(string recordedCase)
    {
        var history = WorkflowHistory.FromJson(string.Empty, await HistoryFiles.ReadAsync(recordedCase));
        return history with { Id = Started(history).WorkflowId };
    }

    private static RecapRequest Request(WorkflowHistory history) =>
        RecapsDataConverter.Instance.PayloadConverter.ToValue<RecapRequest>(Started(history).Input.Payloads_.Single());

    private static WorkflowExecutionStartedEventAttributes Started(WorkflowHistory history) =>
        history.Events.First().WorkflowExecutionStartedEventAttributes;

    /// <summary>
    /// A scheduled run claims its nominal time; a run-now claims its request's time under its run id.
    /// Either way with the wait the server recorded between starting the workflow and a worker taking it up.
    /// </summary>
    private static ResolveChannelsInput ResolveInput(WorkflowHistory history, RecapRequest request, string? nominalTime)
    {
        var waited = history.Events.First(e => e.EventType == EventType.WorkflowTaskStarted).EventTime.ToDateTime() - history.Events.First().EventTime.ToDateTime();
        if (nominalTime is null)
        {
            var runId = Assert.NotNull(request.RunId);
            Assert.Equal(TemporalScheduleSpecTranslator.RunNowWorkflowId(request.ScheduleId, runId), history.Id);
            return new(request.ScheduleId, history.Id, Assert.NotNull(request.RequestedAt), runId, waited);
        }

        return new(request.ScheduleId, history.Id, InstantPattern.General.Parse(nominalTime).Value, null, waited);
    }
}
