using NodaTime;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Tests.Temporal;

/// <summary>Schedule rows as the repository would load them, for translator and view tests.</summary>
internal static class TestSchedules
{
    public static readonly Guid Id = Guid.Parse("6f1c2a4e-8b0d-4c3e-9a5f-0123456789ab");

    public static readonly Instant CreatedAt = Instant.FromUtc(2026, 1, 1, 0, 0);

    public static StoredSchedule Weekday0900NewYork() => Create(
        WeekdaySet.Of(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday),
        new LocalTime(9, 0),
        "America/New_York");

    public static StoredSchedule Create(
        WeekdaySet days, LocalTime time, string zoneId, bool recurring = true, Instant? anchor = null,
        ScheduleStatus status = ScheduleStatus.Active, PauseOwner? pausedBy = null, string? pauseReason = null)
    {
        var intent = new ScheduleIntent(
            "Standup digest", days, time, zoneId, ChannelMode.Specific, ["dev", "support"], recurring, "extractive", null);
        return new StoredSchedule(
            Id, "user-1", intent, status, pausedBy, pauseReason, anchor ?? CreatedAt, 1, CreatedAt, CreatedAt, null, null, 0, null, ScheduleSync.Pending, TemporalMirror.None);
    }
}
