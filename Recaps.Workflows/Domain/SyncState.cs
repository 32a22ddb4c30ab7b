namespace Recaps.Workflows.Domain;

/// <summary>Where the sync stands with a schedule's latest change.</summary>
public enum SyncState
{
    /// <summary>Not applied to Temporal yet (or failed in a way Temporal may yet accept).</summary>
    Pending,

    /// <summary>Every change of the schedule is applied.</summary>
    Synced,

    /// <summary>Temporal rejected the change.</summary>
    Error,
}

/// <summary>The text of a <see cref="SyncState"/>, as stored and as the API shows it.</summary>
public static class SyncStateText
{
    private static readonly StateText<SyncState> Texts = new(ToText);

    public static string ToText(this SyncState state) => state switch
    {
        SyncState.Pending => "pending",
        SyncState.Synced => "synced",
        SyncState.Error => "error",
        _ => throw StateText<SyncState>.OutOfRange(state),
    };

    /// <exception cref="UnknownStateTextException">No state has <paramref name="text"/>.</exception>
    public static SyncState Parse(string text) => Texts.Parse(text);
}
