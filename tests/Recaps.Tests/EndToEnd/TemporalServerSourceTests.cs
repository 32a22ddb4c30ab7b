namespace Recaps.Tests.EndToEnd;

public class TemporalServerSourceTests
{
    [Fact]
    public void Choose_AddressAndCli_UsesTheRunningServerAndKeepsTheCliForOperatorCalls()
    {
        var source = TemporalServerSource.Choose("temporal.test:7233", "recaps-e2e", "/usr/local/bin/temporal");

        Assert.Equal(new RunningServer("temporal.test:7233", "recaps-e2e", "/usr/local/bin/temporal"), source);
    }

    [Fact]
    public void Choose_AddressWithoutNamespace_UsesTheDefaultNamespace()
    {
        var source = TemporalServerSource.Choose("temporal.test:7233", " ", null);

        Assert.Equal(new RunningServer("temporal.test:7233", "default", null), source);
    }

    [Fact]
    public void Choose_CliWithoutAddress_StartsADevServerFromIt()
    {
        var source = TemporalServerSource.Choose(null, "ignored", "/opt/temporal/temporal");

        Assert.Equal(new DevServer("/opt/temporal/temporal"), source);
    }

    [Fact]
    public void Choose_NeitherAddressNorCli_SkipsNamingBothFixes()
    {
        var source = TemporalServerSource.Choose("", null, null);

        var reason = Assert.IsType<NoServer>(source).Reason;
        Assert.Contains("TEMPORAL_ADDRESS", reason, StringComparison.Ordinal);
        Assert.Contains("temporal CLI on PATH", reason, StringComparison.Ordinal);
        Assert.Contains("RECAPS_TEMPORAL_CLI", reason, StringComparison.Ordinal);
    }
}
