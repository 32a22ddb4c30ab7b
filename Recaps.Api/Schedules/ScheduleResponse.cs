using Recaps.Api.Delivery;

namespace Recaps.Api.Schedules;

/// <summary>
/// An upcoming occurrence: the instant (UTC), the wall time in the schedule's zone, and what DST did to
/// it, if anything. Temporal fires every occurrence; one on a skip date is then recorded skipped, so it
/// is listed with <c>skipped</c> true and the reason its run will carry.
/// </summary>
public sealed record NextRunResponse(DateTime At, DateTimeOffset Local, string? Note, bool Skipped, string? SkipReason);

/// <summary>Where the Temporal schedule stands, and what the reconciler last read from it.</summary>
/// <param name="State"><c>pending</c> (a change not yet applied; <c>error</c> tells why while Temporal cannot be reached), <c>synced</c>, or <c>error</c> (Temporal refused the change).</param>
/// <param name="Error">Why the latest change has not reached Temporal, when it has not.</param>
/// <param name="SyncedAt">When the latest change reached Temporal.</param>
/// <param name="NextActionAt">Temporal's next action time, as the reconciler last saw it.</param>
/// <param name="LastActionAt">Temporal's latest action time, as the reconciler last saw it.</param>
/// <param name="SpecUntil">When the spec written to Temporal stops firing (rolled forward every new year; null for one-time schedules).</param>
/// <param name="SpecOverdue">True when that roll-forward is late: the spec still fires for years, but an operator should look.</param>
/// <param name="Tzdb">The tzdb release the written spec was compiled with.</param>
/// <param name="Drift">Where the server's matching times last differed from the preview (the schedule was then written again); null when they agree.</param>
public sealed record SyncResponse(
    string State,
    string? Error,
    DateTime? SyncedAt,
    DateTime? NextActionAt,
    DateTime? LastActionAt,
    DateTime? SpecUntil,
    bool SpecOverdue,
    string? Tzdb,
    DriftResponse? Drift);

/// <summary>The first instant where the server and the preview differed: what the preview has there and what the server listed (null: nothing).</summary>
public sealed record DriftResponse(DateTime At, DateTime? Expected, DateTime? Listed, DateTime SeenAt);

/// <summary>
/// A schedule: the intent as chosen, its state, its upcoming runs and the Temporal schedule derived
/// from it (<c>temporal</c>: null in list items unless the list was asked for with <c>expand=temporal</c>).
/// </summary>
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
    TemporalScheduleView? Temporal,
    bool SkipIfEmpty,
    IReadOnlyList<string> SkipDates,
    IReadOnlyList<DeliveryTargetView>? DeliverTo);

/// <summary>A page of schedules; <c>nextCursor</c> is the <c>cursor</c> of the next page, null on the last.</summary>
public sealed record ScheduleListResponse(IReadOnlyList<ScheduleResponse> Items, string? NextCursor);

public sealed record PreviewResponse(IReadOnlyList<NextRunResponse> NextRuns);

public sealed record PauseRequest(string? Reason);

public sealed record RunNowResponse(Guid RunId);
