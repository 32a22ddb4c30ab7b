using NodaTime;

namespace Recaps.Workflows.Storage;

/// <summary>Where a schedule stands in a user's list, newest first: its creation time, then its id for schedules created at the same instant.</summary>
public readonly record struct SchedulePosition(Instant CreatedAt, Guid Id)
{
    public static SchedulePosition Of(StoredSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new(schedule.CreatedAt, schedule.Id);
    }
}
