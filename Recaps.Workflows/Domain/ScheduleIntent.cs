using NodaTime;
using Recaps.Workflows.Delivery;

namespace Recaps.Workflows.Domain;

/// <summary>
/// What a user asked for, validated and stored as chosen (local time and zone id, not instants). With
/// <see cref="SkipIfEmpty"/> an occurrence with no posts in its window is recorded skipped instead of
/// recapped; an occurrence on one of <see cref="SkipDates"/> is recorded skipped (run-nows never are).
/// <see cref="DeliverTo"/> null sends its recaps to the user's own targets (<c>/v1/me/delivery</c>).
/// </summary>
public sealed record ScheduleIntent(
    string Title,
    WeekdaySet DaysOfWeek,
    LocalTime TimeOfDay,
    string TimeZoneId,
    ChannelMode ChannelMode,
    IReadOnlyList<string> ChannelIds,
    bool Recurring,
    string Agent,
    string? CustomInstructions,
    bool SkipIfEmpty = false,
    SkipDateSet SkipDates = default,
    IReadOnlyList<DeliveryTarget>? DeliverTo = null)
{
    /// <summary>The timetable of this intent, its zone read from <paramref name="zones"/>; one-time intents run once, after <paramref name="anchor"/>.</summary>
    public Recurrence RecurrenceFrom(Instant anchor, TimeZoneData zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        return new(DaysOfWeek, TimeOfDay, zones.Zones[TimeZoneId], Recurring, anchor);
    }
}
