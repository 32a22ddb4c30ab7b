using NodaTime;

namespace Recaps.Workflows.Domain;

/// <summary>What a user asked for, validated and stored as chosen (local time and zone id, not instants).</summary>
public sealed record ScheduleIntent(
    string Title,
    WeekdaySet DaysOfWeek,
    LocalTime TimeOfDay,
    string TimeZoneId,
    ChannelMode ChannelMode,
    IReadOnlyList<string> ChannelIds,
    bool Recurring,
    string Agent,
    string? CustomInstructions)
{
    /// <summary>The timetable of this intent, its zone read from <paramref name="zones"/>; one-time intents run once, after <paramref name="anchor"/>.</summary>
    public Recurrence RecurrenceFrom(Instant anchor, TimeZoneData zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        return new(DaysOfWeek, TimeOfDay, zones.Zones[TimeZoneId], Recurring, anchor);
    }
}
