using NodaTime;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Sync;

/// <summary>
/// A claimed outbox row with what applying it needs: the schedule as stored now (its current intent
/// is what gets applied, whatever the row's version), for a run-now the instant it was requested, and
/// for a regeneration its request.
/// <see cref="Operation"/> is the row's text, parsed when applied: an operation this version does not
/// know fails that change alone, not the claim of the batch.
/// </summary>
public sealed record PendingChange(
    long Id, string Operation, int ScheduleVersion, int Attempts, StoredSchedule Schedule, Guid? RunId, Instant? RunRequestedAt, Guid? RegenerationId = null);

/// <summary>What applying a change did, beyond reaching Temporal: the spec it wrote, a one-time occurrence it found missed.</summary>
public sealed record AppliedChange(WrittenSpec? Spec, Occurrence? MissedOneTime)
{
    public static readonly AppliedChange Nothing = new(null, null);
}

/// <summary>How a claimed change ended: applied, or failed with when to try again (and whether Temporal could not be reached at all).</summary>
public sealed record ChangeOutcome(PendingChange Change, AppliedChange? Applied, string? Error, bool Rejected, Instant RetryAt, bool Unreachable = false);
