using Recaps.Workflows.Temporal;

namespace Recaps.Api.Schedules;

/// <summary>An upcoming run: the instant (UTC), the wall time in the schedule's zone, and what DST did to it, if anything.</summary>
public sealed record NextRunResponse(DateTime At, DateTimeOffset Local, string? Note);

/// <summary>
/// Where the Temporal schedule stands: <c>pending</c> (a change not yet applied; <c>error</c> tells
/// why while Temporal cannot be reached), <c>synced</c>, or <c>error</c> (Temporal refused the change);
/// and the next and latest action times the reconciler last read from Temporal.
/// </summary>
public sealed record SyncResponse(string State, string? Error, DateTime? SyncedAt, DateTime? NextActionAt, DateTime? LastActionAt);

/// <summary>A schedule: the intent as chosen, its state, its upcoming runs and the Temporal schedule derived from it.</summary>
public sealed record ScheduleResponse(
    Guid Id,
    string UserId,
    string Title,
    IReadOnlyList<string> DaysOfWeek,
    string TimeOfDay,
    string TimeZone,
    string ChannelMode,
    IReadOnlyList<string> ChannelIds,
    bool Recurring,
    string Agent,
    string? CustomInstructions,
    string Status,
    string? PausedBy,
    string? PauseReason,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? LastRunAt,
    int RunCount,
    IReadOnlyList<NextRunResponse> NextRuns,
    SyncResponse Sync,
    TemporalScheduleView Temporal);

public sealed record ScheduleListResponse(IReadOnlyList<ScheduleResponse> Items);

public sealed record PreviewResponse(IReadOnlyList<NextRunResponse> NextRuns);

public sealed record PauseRequest(string? Reason);

public sealed record RunNowResponse(Guid RunId);
