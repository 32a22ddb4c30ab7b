using NodaTime;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Sync;

/// <summary>
/// What the sync and the reconciler need to know of a Temporal schedule; <see cref="Owner"/> is the
/// owner mark in its memo (<see cref="ScheduleOwner"/>), null on a schedule made before the marks.
/// </summary>
public sealed record TemporalScheduleState(string ScheduleId, bool Paused, string? Note, Instant? NextActionAt, Instant? LastActionAt, string? Owner = null)
{
    /// <summary>Paused through Recaps: the note carries <see cref="TemporalScheduleSpecTranslator.UserPauseNotePrefix"/>.</summary>
    public bool PausedByUser => Paused && PauseNotes.IsUsers(Note);

    /// <summary>Paused by anyone else (the temporal CLI, the Web UI): never lifted by Recaps.</summary>
    public bool PausedByOperator => Paused && !PauseNotes.IsUsers(Note);
}
