using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Storage;

/// <summary>
/// Where the sync stands with the schedule's latest change: applied to Temporal or not, and why not;
/// the spec written last, and where the server's reading of it last differed from the preview.
/// </summary>
public sealed record ScheduleSync(SyncState State, string? Error, Instant? SyncedAt)
{
    public static readonly ScheduleSync Pending = new(SyncState.Pending, null, null);

    public WrittenSpec? Spec { get; init; }

    public SpecDrift? Drift { get; init; }
}

/// <summary>
/// A spec written to Temporal: until when it fires (null: a one-time schedule's single entry), the
/// tzdb it was compiled with, what else it was compiled from (<see cref="Temporal.TemporalScheduleSpecTranslator.Inputs"/>)
/// and its fingerprint (<see cref="Temporal.TemporalScheduleSpecTranslator.SpecHash"/>).
/// </summary>
public sealed record WrittenSpec(Instant? Until, string Tzdb, string Inputs, string Hash);

/// <summary>
/// The server's matching times differed from the preview: first at <see cref="At"/>, where the preview
/// has <see cref="Expected"/> and the server lists <see cref="Listed"/> (null: nothing there).
/// </summary>
public sealed record SpecDrift(Instant At, Instant? Expected, Instant? Listed, Instant SeenAt);

/// <summary>
/// What the reconciler last saw of the Temporal schedule: an operator's pause (one without the
/// Recaps note prefix) and the next and latest action times.
/// </summary>
public sealed record TemporalMirror(Instant? OperatorPausedAt, string? OperatorPauseReason, Instant? NextActionAt, Instant? LastActionAt)
{
    public static readonly TemporalMirror None = new(null, null, null, null);

    public bool OperatorPaused => OperatorPausedAt is not null;
}

/// <summary>A schedule row: the intent plus the state the service keeps about it.</summary>
public sealed record StoredSchedule(
    Guid Id,
    string UserId,
    ScheduleIntent Intent,
    ScheduleStatus Status,
    PauseOwner? PausedBy,
    string? PauseReason,
    Instant AnchorAt,
    int Version,
    Instant CreatedAt,
    Instant UpdatedAt,
    Instant? DeletedAt,
    Instant? LastRunAt,
    int RunCount,
    Instant? Watermark,
    ScheduleSync Sync,
    TemporalMirror Temporal)
{
    public Recurrence RecurrenceIn(TimeZoneData zones) => Intent.RecurrenceFrom(AnchorAt, zones);

    public bool PausedByUser => Status == ScheduleStatus.Paused && PausedBy == PauseOwner.User;

    /// <summary>What a claim of its occurrence decides from (<see cref="OccurrenceClaim"/>).</summary>
    public ClaimedSchedule AsClaimed() =>
        new(DeletedAt is not null, Status, PausedByUser, PauseReason, Temporal.OperatorPaused, Temporal.OperatorPauseReason, Intent.SkipDates);
}
