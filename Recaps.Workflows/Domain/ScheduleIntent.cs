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
    public DateTimeZone TimeZone => DateTimeZoneProviders.Tzdb[TimeZoneId];

    /// <summary>The timetable of this intent; one-time intents run once, after <paramref name="anchor"/>.</summary>
    public Recurrence RecurrenceFrom(Instant anchor) => new(DaysOfWeek, TimeOfDay, TimeZone, Recurring, anchor);
}
