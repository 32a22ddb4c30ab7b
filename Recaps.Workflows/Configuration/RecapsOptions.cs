using NodaTime;
using Recaps.Workflows.RecapRuns;

namespace Recaps.Workflows.Configuration;

/// <summary>The <c>Recaps</c> configuration section.</summary>
public sealed class RecapsOptions
{
    public const string Section = "Recaps";

    public LimitsOptions Limits { get; set; } = new();

    public SchedulesOptions Schedules { get; set; } = new();

    public TimeZonesOptions TimeZones { get; set; } = new();

    /// <summary>Start-up checks with messages that name the setting and the rule.</summary>
    public IEnumerable<string> Problems()
    {
        if (Limits.MaxSchedulesPerUser < 1)
        {
            yield return "Recaps:Limits:MaxSchedulesPerUser must be at least 1.";
        }

        if (Limits.MaxChannelsPerSchedule < 1)
        {
            yield return "Recaps:Limits:MaxChannelsPerSchedule must be at least 1.";
        }

        if (Limits.MaxPostsPerChannel < 1)
        {
            yield return "Recaps:Limits:MaxPostsPerChannel must be at least 1.";
        }

        if (Limits.DefaultLookback <= TimeSpan.Zero || Limits.DefaultLookback > Limits.MaxLookback)
        {
            yield return "Recaps:Limits:DefaultLookback must be positive and at most Recaps:Limits:MaxLookback.";
        }

        if (Limits.MaxAgentTokensPerUserPerDay < 1)
        {
            yield return "Recaps:Limits:MaxAgentTokensPerUserPerDay must be at least 1.";
        }

        if (Limits.RunNowCooldown < TimeSpan.Zero)
        {
            yield return "Recaps:Limits:RunNowCooldown must not be negative.";
        }

        if (Limits.AbandonedRunAfter <= RecapWorkflow.LongestClaimedRun)
        {
            yield return $"Recaps:Limits:AbandonedRunAfter must be longer than {RecapWorkflow.LongestClaimedRun}, the longest a claimed run can legitimately take.";
        }

        if (Schedules.Jitter < TimeSpan.Zero || Schedules.Jitter > TimeSpan.FromHours(1))
        {
            yield return "Recaps:Schedules:Jitter must be between 0 and 1 hour.";
        }

        if (Schedules.CatchupWindow < TimeSpan.FromSeconds(10))
        {
            yield return "Recaps:Schedules:CatchupWindow must be at least 10 seconds (Temporal's minimum).";
        }

        if (TimeZones.DataFile is { } dataFile && !File.Exists(dataFile))
        {
            yield return $"Recaps:TimeZones:DataFile '{dataFile}' does not exist: name a NodaTime tzdb file (.nzd), or leave it unset for the built-in one.";
        }

        if (Schedules.SpecHorizonYears is < 10 or > 50)
        {
            yield return "Recaps:Schedules:SpecHorizonYears must be between 10 and 50.";
        }
    }
}

public sealed class LimitsOptions
{
    public int MaxSchedulesPerUser { get; set; } = 10;

    public int MaxChannelsPerSchedule { get; set; } = 20;

    public int MaxPostsPerChannel { get; set; } = 500;

    /// <summary>
    /// Tokens (input and output) LLM agents may spend per user per UTC day, over all their recaps;
    /// a recap that would go past it is the extractive one, marked fallback <c>budget_exhausted</c>.
    /// </summary>
    public long MaxAgentTokensPerUserPerDay { get; set; } = 500_000;

    /// <summary>How far back a schedule's first recap looks.</summary>
    public TimeSpan DefaultLookback { get; set; } = TimeSpan.FromHours(24);

    /// <summary>No recap covers more than this, however long the schedule was paused or failing.</summary>
    public TimeSpan MaxLookback { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan RunNowCooldown { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A run still unfinished after this (its workflow was terminated) is closed when the schedule's next run starts.</summary>
    public TimeSpan AbandonedRunAfter { get; set; } = TimeSpan.FromHours(6);

    public Duration DefaultLookbackDuration => Duration.FromTimeSpan(DefaultLookback);

    public Duration MaxLookbackDuration => Duration.FromTimeSpan(MaxLookback);
}

public sealed class SchedulesOptions
{
    /// <summary>Spreads a burst of same-minute schedules; the nominal time, and so the window, is unchanged.</summary>
    public TimeSpan Jitter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Occurrences missed for longer than this (Temporal down) are not run late: stale recaps are not worth sending.</summary>
    public TimeSpan CatchupWindow { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How many whole years after the current one the compiled spec covers; the reconciler rolls it
    /// forward every new year, so it always reaches at least this far.
    /// </summary>
    public int SpecHorizonYears { get; set; } = 10;
}

public sealed class TimeZonesOptions
{
    /// <summary>A newer tzdb than the built-in one, as a NodaTime <c>.nzd</c> file; unset, NodaTime's own.</summary>
    public string? DataFile { get; set; }
}
