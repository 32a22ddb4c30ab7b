using System.Diagnostics;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Domain;

public class ScheduleLifecycleTests
{
    [Theory]
    [InlineData(ScheduleStatus.Active, true)]
    [InlineData(ScheduleStatus.Paused, true)]
    [InlineData(ScheduleStatus.Completed, false)]
    public void CanPause_AnythingNotCompleted(ScheduleStatus status, bool can) => Assert.Equal(can, ScheduleLifecycle.CanPause(status));

    [Theory]
    [InlineData(ScheduleStatus.Active, ScheduleStatus.Active)]
    [InlineData(ScheduleStatus.Paused, ScheduleStatus.Paused)]
    [InlineData(ScheduleStatus.Completed, ScheduleStatus.Active)]
    public void AfterUpdate_ACompletedOneRunsAgainAndAPauseStays(ScheduleStatus before, ScheduleStatus after) =>
        Assert.Equal(after, ScheduleLifecycle.AfterUpdate(before));

    [Fact]
    public void ValueOfNoMember_Throws()
    {
        Assert.Throws<UnreachableException>(() => ScheduleLifecycle.CanPause((ScheduleStatus)99));
        Assert.Throws<UnreachableException>(() => ScheduleLifecycle.AfterUpdate((ScheduleStatus)99));
    }
}
