using Recaps.Workflows.RecapRuns;

namespace Recaps.Tests.RecapRuns;

public class LateHeartbeatTests
{
    [Fact]
    public void Beat_BeforeItsTime_SendsNothing_ThenSendsEveryBeatWithItsDetails()
    {
        var elapsed = TimeSpan.Zero;
        var sent = new List<object?>();
        var heartbeat = new LateHeartbeat(sent.Add, () => elapsed);

        heartbeat.Beat("c1");
        elapsed = LateHeartbeat.After - TimeSpan.FromMilliseconds(1);
        heartbeat.Beat("c2");
        elapsed = LateHeartbeat.After;
        heartbeat.Beat("c3");
        heartbeat.Beat();

        Assert.Equal(["c3", null], sent);
    }
}
