using NodaTime;

namespace Recaps.Api.Embedded;

/// <summary>
/// The machine's time zone as a tz id, found where a newcomer expects it: <c>TZ</c>, else the zone
/// <c>/etc/localtime</c> links to, else UTC. Read by hand because .NET's local zone has no tz id
/// where the link is a copy or the machine runs Windows, and NodaTime cannot name it then.
/// </summary>
internal static class MachineTimeZone
{
    public const string LocalTimeLink = "/etc/localtime";

    private const string ZoneFolder = "/zoneinfo/";

    public static DateTimeZone Find() => Find(Environment.GetEnvironmentVariable("TZ"), LocalTimeLink);

    /// <param name="tz">The <c>TZ</c> variable; POSIX allows a colon before the id.</param>
    /// <param name="localTimeLink">The link whose target names the zone, e.g. <c>/usr/share/zoneinfo/Europe/Paris</c>.</param>
    public static DateTimeZone Find(string? tz, string localTimeLink) =>
        Zone(tz?.TrimStart(':')) ?? Zone(LinkedZoneId(localTimeLink)) ?? DateTimeZone.Utc;

    private static DateTimeZone? Zone(string? id) => string.IsNullOrEmpty(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);

    /// <summary>What follows <c>zoneinfo/</c> in the link's target (Debian, macOS); null when the file is no link.</summary>
    private static string? LinkedZoneId(string link)
    {
        if (new FileInfo(link).LinkTarget is not { } target)
        {
            return null;
        }

        // A relative target (../usr/share/zoneinfo/…) is relative to the link's folder.
        var full = Path.GetFullPath(target, Path.GetDirectoryName(Path.GetFullPath(link))!);
        var at = full.LastIndexOf(ZoneFolder, StringComparison.Ordinal);
        return at < 0 ? null : full[(at + ZoneFolder.Length)..];
    }
}
