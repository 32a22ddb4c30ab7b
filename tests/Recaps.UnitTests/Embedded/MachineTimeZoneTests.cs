using NodaTime;
using Recaps.Api.Embedded;

namespace Recaps.Tests.Embedded;

public sealed class MachineTimeZoneTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recaps-zone-").FullName;

    private string LocalTime => Path.Combine(_folder, "localtime");

    [Theory]
    [InlineData("Asia/Tokyo")]
    [InlineData(":Asia/Tokyo")]
    public void Find_TzNamesATzId_UsesItOverLocalTime(string tz)
    {
        File.CreateSymbolicLink(LocalTime, "/usr/share/zoneinfo/Europe/Paris");

        Assert.Equal("Asia/Tokyo", MachineTimeZone.Find(tz, LocalTime).Id);
    }

    [Fact]
    public void Find_TzNamesNoTzId_FallsThroughToLocalTime()
    {
        File.CreateSymbolicLink(LocalTime, "/usr/share/zoneinfo/Europe/Paris");

        Assert.Equal("Europe/Paris", MachineTimeZone.Find("Mars/Olympus_Mons", LocalTime).Id);
    }

    [Theory]
    [InlineData("/usr/share/zoneinfo/America/Sao_Paulo")]
    [InlineData("/var/db/timezone/zoneinfo/America/Sao_Paulo")]
    [InlineData("../usr/share/zoneinfo/America/Sao_Paulo")]
    public void Find_NoTzAndLocalTimeLinksIntoZoneinfo_UsesTheLinkedId(string target)
    {
        File.CreateSymbolicLink(LocalTime, target);

        Assert.Equal("America/Sao_Paulo", MachineTimeZone.Find(null, LocalTime).Id);
    }

    [Fact]
    public void Find_LocalTimeIsACopyNotALink_IsUtc()
    {
        File.WriteAllText(LocalTime, "TZif");

        Assert.Equal(DateTimeZone.Utc, MachineTimeZone.Find("", LocalTime));
    }

    [Fact]
    public void Find_NoTzAndNoLocalTime_IsUtc() => Assert.Equal(DateTimeZone.Utc, MachineTimeZone.Find(null, LocalTime));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
