using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Storage;

public static class ScheduleStatuses
{
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Completed = "completed";
}

/// <summary>A schedule row: the intent plus the state the service keeps about it.</summary>
public sealed record StoredSchedule(
    Guid Id,
    string UserId,
    ScheduleIntent Intent,
    string Status,
    string? PausedBy,
    string? PauseReason,
    Instant AnchorAt,
    int Version,
    Instant CreatedAt,
    Instant UpdatedAt,
    Instant? DeletedAt,
    Instant? LastRunAt,
    int RunCount,
    Instant? Watermark)
{
    public Recurrence Recurrence => Intent.RecurrenceFrom(AnchorAt);
}
