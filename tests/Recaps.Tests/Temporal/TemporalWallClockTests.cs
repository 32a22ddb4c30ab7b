using NodaTime;
using Recaps.Workflows.Temporal;

namespace Recaps.Tests.Temporal;

/// <summary>Instants worked out by hand from Go's <c>time.Date</c>: look the zone up at the wall time read as UTC, correct once.</summary>
public class TemporalWallClockTests
{
    [Theory]
    [InlineData("America/New_York", "2026-07-01T09:00", "2026-07-01T13:00:00Z")] // plain EDT
    [InlineData("America/New_York", "2026-11-01T01:30", "2026-11-01T05:30:00Z")] // doubled: 01:30Z lies before the 06:00Z change, so EDT, the first
    [InlineData("Australia/Sydney", "2026-04-05T02:30", "2026-04-04T16:30:00Z")] // doubled: 02:30Z lies after the 16:00Z change, so AEST, the second
    [InlineData("Europe/London", "2026-10-25T01:30", "2026-10-25T01:30:00Z")] // doubled: GMT has offset 0, read as UTC, the second
    [InlineData("America/New_York", "2026-03-08T02:30", "2026-03-08T06:30:00Z")] // gap: lands on 01:30 EST, an hour off, so calendars skip it
    [InlineData("Australia/Sydney", "2026-10-04T02:30", "2026-10-03T16:30:00Z")] // gap: lands on 03:30 AEDT
    public void Resolve_MatchesGoTimeDate(string zoneId, string wall, string expected)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var local = NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Parse(wall).Value;

        var instant = TemporalWallClock.Resolve(zone, local);

        Assert.Equal(NodaTime.Text.InstantPattern.General.Parse(expected).Value, instant);
    }
}
