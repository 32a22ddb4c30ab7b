using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Domain;

public class OneTimeCompletionTests
{
    private static readonly Instant Anchor = Instant.FromUtc(2026, 3, 1, 12, 0);

    private static readonly Instant After = Anchor + Duration.FromHours(2);

    [Fact]
    public void ByRun_TheOneTimeOccurrenceAfterTheAnchor_Completes() =>
        Assert.True(OneTimeCompletion.ByRun(recurring: false, ScheduleStatus.Active, Anchor, runNow: false, After));

    [Fact]
    public void ByRun_PausedOneTime_StillCompletes() =>
        Assert.True(OneTimeCompletion.ByRun(recurring: false, ScheduleStatus.Paused, Anchor, runNow: false, After));

    [Fact]
    public void ByRun_Recurring_NeverCompletes() =>
        Assert.False(OneTimeCompletion.ByRun(recurring: true, ScheduleStatus.Active, Anchor, runNow: false, After));

    [Fact]
    public void ByRun_RunNow_NeverCompletes() =>
        Assert.False(OneTimeCompletion.ByRun(recurring: false, ScheduleStatus.Active, Anchor, runNow: true, After));

    [Fact]
    public void ByRun_AlreadyCompleted_NotAgain() =>
        Assert.False(OneTimeCompletion.ByRun(recurring: false, ScheduleStatus.Completed, Anchor, runNow: false, After));

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void ByRun_OccurrenceNotAfterTheAnchor_AnEditReAnchoredIt(int minutesAfterAnchor) =>
        Assert.False(OneTimeCompletion.ByRun(recurring: false, ScheduleStatus.Active, Anchor, runNow: false, Anchor + Duration.FromMinutes(minutesAfterAnchor)));

    [Fact]
    public void ByMiss_OneTimeOccurrenceAfterTheAnchor_Completes() =>
        Assert.True(OneTimeCompletion.ByMiss(recurring: false, Anchor, After));

    [Fact]
    public void ByMiss_Recurring_OrBeforeTheAnchor_DoesNot()
    {
        Assert.False(OneTimeCompletion.ByMiss(recurring: true, Anchor, After));
        Assert.False(OneTimeCompletion.ByMiss(recurring: false, Anchor, Anchor));
    }
}
