using NodaTime;
using NodaTime.TimeZones;
using NodaTime.Utility;

namespace Recaps.Workflows.Domain;

/// <summary>
/// The tz database every zone is read from: NodaTime's own copy, or a newer one (a NodaTime
/// <c>.nzd</c> file named by <c>Recaps:TimeZones:DataFile</c>) loaded without a rebuild when
/// governments change their rules faster than releases ship. Previews, specs and claims all read
/// it, so what Temporal fires and what the user was shown come from the same rules.
/// </summary>
public sealed class TimeZoneData
{
    public static readonly TimeZoneData BuiltIn = new(DateTimeZoneProviders.Tzdb, TzdbDateTimeZoneSource.Default.TzdbVersion);

    private TimeZoneData(IDateTimeZoneProvider zones, string version) => (Zones, Version) = (zones, version);

    public IDateTimeZoneProvider Zones { get; }

    /// <summary>The tzdb release, e.g. "2026f".</summary>
    public string Version { get; }

    /// <summary>Reads a NodaTime tzdb file; a file that is not one throws, naming the path.</summary>
    public static TimeZoneData Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var source = TzdbDateTimeZoneSource.FromStream(stream);
            source.Validate();
            return new(new DateTimeZoneCache(source), source.TzdbVersion);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidNodaDataException or InvalidOperationException)
        {
            throw new Configuration.SettingException($"Recaps:TimeZones:DataFile '{path}' is not a readable NodaTime tzdb file (.nzd): {error.Message}", error);
        }
    }
}
