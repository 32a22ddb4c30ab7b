namespace Recaps.Tests;

/// <summary>The zones that are hard for DST: gaps and overlaps of one hour, half an hour and
/// 45 minutes off, transitions at midnight, Ramadan changes, and one zone without DST.</summary>
internal static class DstZones
{
    public static readonly string[] All =
    [
        "America/New_York", "Europe/London", "Europe/Dublin", "Australia/Sydney", "Australia/Lord_Howe",
        "Pacific/Chatham", "America/Santiago", "Asia/Kolkata", "Africa/Casablanca",
    ];
}
