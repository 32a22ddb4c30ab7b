using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Benchmarks.Workspace;

/// <summary>
/// Timetables as a worldwide user base picks them: zones on every continent (including the odd
/// ones for DST: Lord Howe's half-hour shift, Chatham's :45 offset, Casablanca's Ramadan
/// suspension, Santiago's southern-hemisphere rules), any minute of the day, any set of days.
/// Seeded, so every run measures the same schedules.
/// </summary>
public sealed class ScheduleMix(int seed)
{
    public static readonly IReadOnlyList<string> ZoneIds =
    [
        "America/New_York", "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "America/Santiago",
        "Europe/London", "Europe/Dublin", "Europe/Berlin", "Europe/Kyiv", "Africa/Casablanca", "Africa/Lagos",
        "Asia/Kolkata", "Asia/Kathmandu", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Australia/Lord_Howe",
        "Pacific/Auckland", "Pacific/Chatham", "UTC",
    ];

    private readonly Random _random = new(seed);

    public string NextZoneId() => ZoneIds[_random.Next(ZoneIds.Count)];

    public LocalTime NextTime() => LocalTime.FromMinutesSinceMidnight(_random.Next(24 * 60));

    /// <summary>A non-empty set of days (bit 0 is unused: ISO days are 1 … 7).</summary>
    public WeekdaySet NextDays() => new((byte)(_random.Next(1, 128) << 1));

    public Recurrence NextRecurrence(Instant anchor) =>
        new(NextDays(), NextTime(), DateTimeZoneProviders.Tzdb[NextZoneId()], Recurring: true, anchor);
}
