namespace Recaps.Workflows.Retention;

/// <summary>
/// The <c>Recaps:Retention</c> configuration section: how long rows nothing depends on any more are
/// kept before the worker purges them, and how the purge paces itself.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Recaps:Retention";

    /// <summary>
    /// Outbox rows already applied to Temporal. They only record what was applied, so a week (an
    /// incident looked into after a weekend) is enough. A row still waiting is never purged.
    /// </summary>
    public TimeSpan ProcessedOutbox { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long an <c>Idempotency-Key</c> replays the schedule it created: its replay window. Clients
    /// retry within minutes; a week also covers a request queue drained after a weekend.
    /// </summary>
    public TimeSpan IdempotencyKeys { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a deleted schedule is kept before it goes with its runs and recaps: a month, for a support
    /// request about it. It stays while its deletion has not reached Temporal, and while an outbox row or
    /// an idempotency key still names it.
    /// </summary>
    public TimeSpan DeletedSchedules { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Finished runs, with their recaps: half a year of history for users to look back on. A live
    /// schedule's run that set its watermark (and that run's recap, the latest) stays however old.
    /// </summary>
    public TimeSpan Runs { get; set; } = TimeSpan.FromDays(180);

    /// <summary>
    /// Tokens LLM agents spent per user and day: only today's count against the daily budget; two days
    /// keep yesterday's for a look at what a user spent.
    /// </summary>
    public TimeSpan AgentTokenSpend { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How often a purge pass runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement (each its own short transaction), so no purge holds locks for long.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// Statements per table per pass: a backlog (the first pass after an upgrade) is worked off over
    /// several passes rather than in one long one.
    /// </summary>
    public int MaxBatchesPerPass { get; set; } = 100;

    /// <summary>Start-up checks with messages that name the setting and the rule.</summary>
    public IEnumerable<string> Problems()
    {
        // A day outlasts any run (RecapWorkflow.LongestClaimedRun), so a deleted schedule's unfinished
        // run is abandoned by then; it is also the least replay window a key should promise.
        foreach (var (name, age) in new[]
        {
            (nameof(ProcessedOutbox), ProcessedOutbox),
            (nameof(IdempotencyKeys), IdempotencyKeys),
            (nameof(DeletedSchedules), DeletedSchedules),
            (nameof(Runs), Runs),
            (nameof(AgentTokenSpend), AgentTokenSpend),
        })
        {
            if (age < TimeSpan.FromDays(1))
            {
                yield return $"{Section}:{name} must be at least 1 day.";
            }
        }

        if (Interval < TimeSpan.FromMinutes(1) || Interval > TimeSpan.FromDays(1))
        {
            yield return $"{Section}:Interval must be between 1 minute and 1 day.";
        }

        if (BatchSize is < 1 or > 10_000)
        {
            yield return $"{Section}:BatchSize must be between 1 and 10000.";
        }

        if (MaxBatchesPerPass < 1)
        {
            yield return $"{Section}:MaxBatchesPerPass must be at least 1.";
        }
    }
}
