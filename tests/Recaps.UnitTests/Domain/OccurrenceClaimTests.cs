using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Domain;

public class OccurrenceClaimTests
{
    private const string Key = "2026-03-02";

    private static readonly ClaimedSchedule Active = new(Deleted: false, ScheduleStatus.Active, PausedByUser: false, null, OperatorPaused: false, null);

    private static readonly Instant Nominal = Instant.FromUtc(2026, 3, 2, 14, 0);

    private static readonly LocalDate Date = new(2026, 3, 2);

    [Theory]
    [InlineData(null, true)]
    [InlineData(RunStatus.Pending, true)]
    [InlineData(RunStatus.Missed, true)]
    [InlineData(RunStatus.Running, false)]
    [InlineData(RunStatus.Completed, false)]
    [InlineData(RunStatus.Failed, false)]
    [InlineData(RunStatus.Skipped, false)]
    public void ClaimsAgain_OnlyANewPendingOrMissedRun(RunStatus? stored, bool again) =>
        Assert.Equal(again, OccurrenceClaim.ClaimsAgain(stored));

    [Fact]
    public void SkipReason_DeletedWinsOverEverything() =>
        Assert.Equal(
            OccurrenceClaim.DeletedReason,
            OccurrenceClaim.SkipReason(new(Deleted: true, ScheduleStatus.Completed, PausedByUser: true, "x", OperatorPaused: true, "y"), scheduledDate: null));

    [Fact]
    public void SkipReason_CompletedOneTime() =>
        Assert.Equal("the one-time schedule has already run", OccurrenceClaim.SkipReason(Active with { Status = ScheduleStatus.Completed }, Date));

    [Theory]
    [InlineData("on holiday", "paused by the user: on holiday")]
    [InlineData(null, "paused by the user")]
    public void SkipReason_PausedByUser_WithTheReason(string? reason, string expected) =>
        Assert.Equal(
            expected,
            OccurrenceClaim.SkipReason(Active with { Status = ScheduleStatus.Paused, PausedByUser = true, PauseReason = reason }, Date));

    [Theory]
    [InlineData(true, "maintenance", "paused by operator: maintenance")]
    [InlineData(true, " ", "paused by operator: (no reason given)")]
    [InlineData(false, "maintenance", null)]
    public void SkipReason_OperatorPause_StopsOnlyRunNows(bool runNow, string note, string? expected) =>
        Assert.Equal(expected, OccurrenceClaim.SkipReason(Active with { OperatorPaused = true, OperatorPauseReason = note }, runNow ? null : Date));

    [Fact]
    public void SkipReason_ActiveSchedule_None() => Assert.Null(OccurrenceClaim.SkipReason(Active, scheduledDate: null));

    [Fact]
    public void SkipReason_SkipDate_SkipsThatDatesOccurrenceNamingTheDate()
    {
        var schedule = Active with { SkipDates = new([Date, Date.PlusDays(7)]) };

        Assert.Equal("skip date: 2026-03-02 is in the schedule's skipDates", OccurrenceClaim.SkipReason(schedule, Date));
        Assert.Null(OccurrenceClaim.SkipReason(schedule, Date.PlusDays(1)));
    }

    [Fact]
    public void SkipReason_SkipDate_NeverStopsARunNow() =>
        Assert.Null(OccurrenceClaim.SkipReason(Active with { SkipDates = new([Date]) }, scheduledDate: null));

    [Fact]
    public void SkipReason_PausedOnASkipDate_SaysPaused() =>
        Assert.Equal(
            "paused by the user",
            OccurrenceClaim.SkipReason(Active with { Status = ScheduleStatus.Paused, PausedByUser = true, SkipDates = new([Date]) }, Date));

    [Fact]
    public void Decide_ScheduleSkipReason_Skips() =>
        Assert.Equal(
            new ClaimDecision(ClaimOutcome.Skip, "paused by the user"),
            OccurrenceClaim.Decide("paused by the user", new("wf-other", "wf-running", 2), Key, "too late"));

    [Fact]
    public void Decide_Duplicate_SkipsNamingTheRunThatHasIt()
    {
        var decision = OccurrenceClaim.Decide(null, new("wf-first", "wf-running", 1), Key, "too late");

        Assert.Equal(new ClaimDecision(ClaimOutcome.Skip, "duplicate occurrence 2026-03-02: already run by wf-first"), decision);
        Assert.Equal(RunStatus.Skipped, decision.Status);
    }

    [Fact]
    public void Decide_StaleStart_IsMissedWithoutWaitingOrTakingOver()
    {
        var decision = OccurrenceClaim.Decide(null, new(null, "wf-running", 3), Key, "beyond the catch-up window");

        Assert.Equal(new ClaimDecision(ClaimOutcome.Miss, "beyond the catch-up window"), decision);
        Assert.Equal(RunStatus.Missed, decision.Status);
    }

    [Fact]
    public void Decide_AnotherRunInProgress_Waits_EvenWithAbandonedOnes()
    {
        var decision = OccurrenceClaim.Decide(null, new(null, "wf-running", 2), Key, null);

        Assert.Equal(new ClaimDecision(ClaimOutcome.Wait, "wf-running"), decision);
        Assert.Throws<InvalidOperationException>(() => decision.Status);
    }

    [Fact]
    public void Decide_AbandonedRuns_TakesOverAndRuns()
    {
        var decision = OccurrenceClaim.Decide(null, new(null, null, 1), Key, null);

        Assert.Equal(new ClaimDecision(ClaimOutcome.TakeOverAndRun), decision);
        Assert.Equal(RunStatus.Running, decision.Status);
    }

    [Fact]
    public void Decide_NothingElse_Runs() =>
        Assert.Equal(new ClaimDecision(ClaimOutcome.Run), OccurrenceClaim.Decide(null, OtherRuns.None, Key, null));

    [Theory]
    [InlineData(null, true)]
    [InlineData(RunStatus.Pending, true)]
    [InlineData(RunStatus.Missed, false)]
    public void NewlyMissed_OnlyTheFirstRecordOfIt(RunStatus? stored, bool newly) =>
        Assert.Equal(newly, OccurrenceClaim.NewlyMissed(new(ClaimOutcome.Miss, "late"), stored));

    [Fact]
    public void NewlyMissed_NotForARun() => Assert.False(OccurrenceClaim.NewlyMissed(new(ClaimOutcome.Run), null));

    [Fact]
    public void Window_FromTheWatermark()
    {
        var watermark = Nominal - Duration.FromHours(5);

        Assert.Equal((watermark, Nominal, null), OccurrenceClaim.Window(watermark, Nominal, Duration.FromHours(24), Duration.FromDays(7)));
    }

    [Fact]
    public void Window_NoWatermark_DefaultLookback() =>
        Assert.Equal(
            (Nominal - Duration.FromHours(24), Nominal, null),
            OccurrenceClaim.Window(null, Nominal, Duration.FromHours(24), Duration.FromDays(7)));

    [Fact]
    public void Window_OldWatermark_CappedAtTheMaximumLookback() =>
        Assert.Equal(
            (Nominal - Duration.FromDays(7), Nominal, null),
            OccurrenceClaim.Window(Nominal - Duration.FromDays(30), Nominal, Duration.FromHours(24), Duration.FromDays(7)));

    [Fact]
    public void Window_AtOrBeforeTheWatermark_CoversNothingAndSaysSo()
    {
        var (start, end, note) = OccurrenceClaim.Window(Nominal + Duration.FromHours(1), Nominal, Duration.FromHours(24), Duration.FromDays(7));

        Assert.Equal((Nominal, Nominal), (start, end));
        Assert.StartsWith("covers nothing new: an earlier-finished run already covered up to ", note, StringComparison.Ordinal);
    }
}
