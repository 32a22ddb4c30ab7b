using NodaTime;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Benchmarks.Domain;

/// <summary>Schedule rows as the repository loads them, for what the spec translator is given.</summary>
internal static class SpecSchedules
{
    /// <summary>Specs compiled on this date cover 2026 to 2036, whenever the benchmark runs.</summary>
    public static readonly Instant CompiledAt = Instant.FromUtc(2026, 6, 1, 0, 0);

    public static readonly WeekdaySet Weekdays =
        WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday);

    public static StoredSchedule Stored(WeekdaySet days, LocalTime time, string zoneId)
    {
        var intent = new ScheduleIntent("Standup digest", days, time, zoneId, ChannelMode.Specific, ["dev"], Recurring: true, "extractive", null);
        return new StoredSchedule(
            Guid.Empty, "user-1", intent, ScheduleStatus.Active, null, null, CompiledAt, 1, CompiledAt, CompiledAt, null, null, 0, null, ScheduleSync.Pending, TemporalMirror.None);
    }
}
