using NodaTime;
using Recaps.Tests.Temporal;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace Recaps.Tests.Sync;

public class TemporalScheduleMappingTests
{
    private static readonly DateTime Earlier = new(2026, 3, 2, 14, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Later = new(2026, 3, 3, 14, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void FromDescription_PausedSchedule_MapsPauseNoteAndActionTimes()
    {
        var info = new ScheduleInfo(
            NumActions: 2, NumActionsMissedCatchupWindow: 0, NumActionsSkippedOverlap: 0, RunningActions: [],
            RecentActions: [new(Earlier.AddDays(-1), Earlier.AddDays(-1), new ScheduleActionExecutionStartWorkflow("a", "1")), new(Earlier, Earlier.AddSeconds(40), new ScheduleActionExecutionStartWorkflow("b", "2"))],
            NextActionTimes: [Later.AddDays(1), Later], CreatedAt: Earlier, LastUpdatedAt: null);

        var state = TemporalScheduleMapping.FromDescription("recap-schedule-x", new ScheduleState { Paused = true, Note = "maintenance" }, info);

        Assert.Equal(new TemporalScheduleState("recap-schedule-x", true, "maintenance", Instant.FromDateTimeUtc(Later), Instant.FromDateTimeUtc(Earlier)), state);
        Assert.True(state.PausedByOperator);
        Assert.False(state.PausedByUser);
    }

    [Fact]
    public void FromListing_WithoutStateOrInfo_IsUnpausedWithoutTimes()
    {
        var state = TemporalScheduleMapping.FromListing("recap-schedule-x", null, null);

        Assert.Equal(new TemporalScheduleState("recap-schedule-x", false, null, null, null), state);
    }

    [Fact]
    public void FromListing_UserPause_IsTheUsers()
    {
        var state = TemporalScheduleMapping.FromListing(
            "recap-schedule-x", new ScheduleListState("recaps:user: away", Paused: true), new ScheduleListInfo([], [Later]));

        Assert.True(state.PausedByUser);
        Assert.False(state.PausedByOperator);
        Assert.Equal(Instant.FromDateTimeUtc(Later), state.NextActionAt);
    }

    [Fact]
    public void KeepOperatorPause_OperatorPaused_KeepsPauseAndNoteAndTakesTheRest()
    {
        var desired = Translate(TestSchedules.Weekday0900NewYork());

        var written = TemporalScheduleMapping.KeepOperatorPause(desired, new ScheduleState { Paused = true, Note = "incident 42" });

        Assert.True(written.State.Paused);
        Assert.Equal("incident 42", written.State.Note);
        Assert.Same(desired.Spec, written.Spec);
        Assert.Same(desired.Policy, written.Policy);
        Assert.Same(desired.Action, written.Action);
    }

    [Fact]
    public void KeepOperatorPause_UserPausedInTemporal_WritesTheDesiredState()
    {
        var desired = Translate(TestSchedules.Weekday0900NewYork());

        var written = TemporalScheduleMapping.KeepOperatorPause(desired, new ScheduleState { Paused = true, Note = "recaps:user: away" });

        Assert.Same(desired, written);
        Assert.False(written.State.Paused);
    }

    [Fact]
    public void RunNow_Start_UsesTheRunNowIdTheQueueAndNeverStartsTwice()
    {
        var start = new RunNowStart(TestSchedules.Id, Guid.Parse("01900000-0000-7000-8000-000000000001"), Instant.FromUtc(2026, 3, 2, 10, 0));

        var options = TemporalScheduleMapping.RunNowOptions(start, "recaps");
        var request = TemporalScheduleMapping.RunNowRequest(start);

        Assert.Equal(TemporalScheduleSpecTranslator.RunNowWorkflowId(start.ScheduleId, start.RunId), options.Id);
        Assert.Equal("recaps", options.TaskQueue);
        Assert.Equal(WorkflowIdReusePolicy.RejectDuplicate, options.IdReusePolicy);
        Assert.Equal(WorkflowIdConflictPolicy.Fail, options.IdConflictPolicy);
        Assert.Equal(new(start.ScheduleId, start.RunId, start.RequestedAt), request);
    }

    [Fact]
    public void Backfill_OneNominalTime_CoversOnlyThatSecond()
    {
        var backfill = TemporalScheduleMapping.Backfill(Instant.FromDateTimeUtc(Earlier));

        Assert.Equal((Earlier.AddSeconds(-1), Earlier.AddSeconds(1), ScheduleOverlapPolicy.Skip), (backfill.StartAt, backfill.EndAt, backfill.Overlap));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 16)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(40, 300)]
    public void Backoff_Attempts_DoublesUpToTheCap(int attempts, int seconds)
    {
        var options = new SyncOptions { BackoffBase = TimeSpan.FromSeconds(1), BackoffMax = TimeSpan.FromMinutes(5) };

        Assert.Equal(Duration.FromSeconds(seconds), SyncBackoff.Delay(attempts, options, jitter: 0));
        Assert.Equal(Duration.FromSeconds(seconds * 1.1), SyncBackoff.Delay(attempts, options, jitter: 1));
    }

    [Theory]
    [InlineData(RpcException.StatusCode.InvalidArgument, true)]
    [InlineData(RpcException.StatusCode.Unavailable, false)]
    [InlineData(RpcException.StatusCode.DeadlineExceeded, false)]
    public void IsRejection_ByStatus_OnlyInvalidRequestsAreRejections(RpcException.StatusCode code, bool rejected) =>
        Assert.Equal(rejected, SyncBackoff.IsRejection(new RpcException(code, "x", null)));

    [Fact]
    public void SyncOptions_BadValues_NameEverySetting()
    {
        var options = new SyncOptions { PollInterval = TimeSpan.Zero, BatchSize = 0, BackoffBase = TimeSpan.FromMinutes(10), SpecRefreshGrace = TimeSpan.FromDays(-1) };

        Assert.Equal(
            ["Recaps:Sync:PollInterval", "Recaps:Sync:BatchSize", "Recaps:Sync:BackoffBase", "Recaps:Sync:SpecRefreshGrace"],
            options.Problems().Select(p => p.Split(' ')[0]));
        Assert.Empty(new SyncOptions().Problems());
    }

    private static Schedule Translate(Workflows.Storage.StoredSchedule schedule) =>
        TemporalScheduleSpecTranslator.Translate(schedule, TimeZoneData.BuiltIn, new SchedulesOptions(), "recaps", Instant.FromUtc(2026, 1, 1, 0, 0));
}
