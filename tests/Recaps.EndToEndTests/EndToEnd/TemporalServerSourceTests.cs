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
    public void Choose_NeitherAddressNorCli_UsesTheDevServerTheSdkDownloads()
    {
        var source = TemporalServerSource.Choose("", null, null);

        Assert.IsType<DownloadedDevServer>(source);
    }
}
