namespace Recaps.Workflows.Domain;

/// <summary>A run was to move between statuses that <see cref="RunLifecycle"/> does not allow.</summary>
public sealed class RunTransitionException(RunStatus? from, RunStatus to)
    : InvalidOperationException(from is { } current ? $"A {current.ToText()} run cannot become {to.ToText()}." : $"No run starts {to.ToText()}.")
{
    /// <summary>Null: a run recorded now.</summary>
    public RunStatus? From { get; } = from;

    public RunStatus To { get; } = to;
}

/// <summary>
/// Which status may follow which. A run-now starts <see cref="RunStatus.Pending"/>; a claim makes a
/// pending or missed run (or a new one) running, skipped or missed; a running run completes, fails
/// or is skipped (its schedule deleted meanwhile); a pending one fails when its workflow fails before
/// its claim. Completed, failed and skipped are final: a retry of the occurrence is a run of its own.
/// </summary>
public static class RunLifecycle
{
    public static bool CanMove(RunStatus from, RunStatus to) => from switch
    {
        RunStatus.Pending => to is RunStatus.Running or RunStatus.Skipped or RunStatus.Missed or RunStatus.Failed,
        // A missed occurrence that Temporal starts after all (a backfill, under the id it was recorded with) runs as if pending.
        RunStatus.Missed => to is RunStatus.Running or RunStatus.Skipped or RunStatus.Missed,
        RunStatus.Running => to is RunStatus.Completed or RunStatus.Failed or RunStatus.Skipped,
        RunStatus.Completed or RunStatus.Failed or RunStatus.Skipped => false,
        _ => throw StateText<RunStatus>.OutOfRange(from),
    };

    /// <summary>Whether a run may be recorded in <paramref name="status"/> from the start: every status but completed, which only a running run reaches.</summary>
    public static bool CanStartAs(RunStatus status) => status switch
    {
        RunStatus.Pending or RunStatus.Running or RunStatus.Failed or RunStatus.Skipped or RunStatus.Missed => true,
        RunStatus.Completed => false,
        _ => throw StateText<RunStatus>.OutOfRange(status),
    };

    /// <exception cref="RunTransitionException"><paramref name="to"/> may not follow <paramref name="from"/> (null: a run recorded now).</exception>
    public static void EnsureCanMove(RunStatus? from, RunStatus to)
    {
        if (from is { } current ? !CanMove(current, to) : !CanStartAs(to))
        {
            throw new RunTransitionException(from, to);
        }
    }

    /// <summary>The statuses <paramref name="to"/> may follow: what a conditional update in storage matches.</summary>
    public static IReadOnlyList<RunStatus> Before(RunStatus to) => [.. Enum.GetValues<RunStatus>().Where(from => CanMove(from, to))];

    /// <summary>
    /// Whether the run holds its occurrence: at most one run that is neither skipped nor failed per
    /// occurrence, so another start of it is a duplicate. A failed occurrence (it has no recap) can be started again.
    /// </summary>
    public static bool HoldsOccurrence(RunStatus status) => status switch
    {
        RunStatus.Pending or RunStatus.Running or RunStatus.Completed or RunStatus.Missed => true,
        RunStatus.Skipped or RunStatus.Failed => false,
        _ => throw StateText<RunStatus>.OutOfRange(status),
    };

    /// <summary>Pending and running runs have not ended: nothing purges them, and a workflow's failure still ends them.</summary>
    public static bool IsUnfinished(RunStatus status) => status switch
    {
        RunStatus.Pending or RunStatus.Running => true,
        RunStatus.Completed or RunStatus.Failed or RunStatus.Skipped or RunStatus.Missed => false,
        _ => throw StateText<RunStatus>.OutOfRange(status),
    };
}
