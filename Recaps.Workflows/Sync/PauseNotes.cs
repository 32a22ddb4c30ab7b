using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Sync;

/// <summary>The note on a Temporal schedule says who paused it: Recaps on the user's behalf, or an operator.</summary>
public static class PauseNotes
{
    public static bool IsUsers(string? note) =>
        note is not null && note.StartsWith(TemporalScheduleSpecTranslator.UserPauseNotePrefix, StringComparison.Ordinal);
}
