using NodaTime;

namespace Recaps.Workflows.Temporal;

/// <summary>
/// The instant the Temporal server gives a wall-clock time in a zone. Its calendar code
/// (<c>service/worker/scheduler/calendar.go</c>) builds times with Go's <c>time.Date</c>, which
/// looks the zone up at the wall time read as UTC and corrects once. So a wall time that happens
/// twice resolves to the earlier instant west of UTC but to the later one where the offset after
/// the change is zero or more (London, Sydney …); the translator needs to know which.
/// </summary>
public static class TemporalWallClock
{
    public static Instant Resolve(DateTimeZone zone, LocalDateTime wall)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var asUtc = wall.InUtc().ToInstant();
        var interval = zone.GetZoneInterval(asUtc);
        var offset = Duration.FromSeconds(interval.WallOffset.Seconds);
        if (offset == Duration.Zero)
        {
            return asUtc;
        }

        if (!interval.Contains(asUtc - offset))
        {
            offset = Duration.FromSeconds(zone.GetZoneInterval(asUtc - offset).WallOffset.Seconds);
        }

        return asUtc - offset;
    }
}
