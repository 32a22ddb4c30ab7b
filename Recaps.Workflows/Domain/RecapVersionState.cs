namespace Recaps.Workflows.Domain;

/// <summary>Where a version of a run's recap stands: written, or asked for by a regeneration and not yet written.</summary>
public enum RecapVersionState
{
    Stored,

    /// <summary>Asked for; its workflow has not written it yet.</summary>
    Pending,

    /// <summary>Asked for; its workflow failed for good (asking again makes a new version).</summary>
    Failed,
}

/// <summary>The text of a <see cref="RecapVersionState"/>, as the API shows it.</summary>
public static class RecapVersionStateText
{
    public static string ToText(this RecapVersionState state) => state switch
    {
        RecapVersionState.Stored => "stored",
        RecapVersionState.Pending => "pending",
        RecapVersionState.Failed => "failed",
        _ => throw StateText<RecapVersionState>.OutOfRange(state),
    };
}
