namespace Recaps.Workflows.Domain;

/// <summary>Where a run (one workflow execution of an occurrence) stands; <see cref="RunLifecycle"/> says which may follow which.</summary>
public enum RunStatus
{
    /// <summary>A run-now requested, its workflow not started yet.</summary>
    Pending,

    /// <summary>Claimed: its window is cut and its recap is being made.</summary>
    Running,

    /// <summary>Its recap is stored and counted.</summary>
    Completed,

    /// <summary>Ended without a recap; the occurrence can be started again.</summary>
    Failed,

    /// <summary>Not run, with the reason (a duplicate, a pause, a deleted schedule).</summary>
    Skipped,

    /// <summary>Too late to run (beyond the catch-up window); a later start of it runs after all.</summary>
    Missed,
}

/// <summary>The text of a <see cref="RunStatus"/>, as stored and as the API shows it.</summary>
public static class RunStatusText
{
    private static readonly StateText<RunStatus> Texts = new(ToText);

    public static string ToText(this RunStatus status) => status switch
    {
        RunStatus.Pending => "pending",
        RunStatus.Running => "running",
        RunStatus.Completed => "completed",
        RunStatus.Failed => "failed",
        RunStatus.Skipped => "skipped",
        RunStatus.Missed => "missed",
        _ => throw StateText<RunStatus>.OutOfRange(status),
    };

    /// <exception cref="UnknownStateTextException">No status has <paramref name="text"/>.</exception>
    public static RunStatus Parse(string text) => Texts.Parse(text);
}
