namespace Recaps.Workflows.Generation.Agents;

/// <summary>
/// A channel's recap with what it cost. <paramref name="DroppedCitations"/> counts cited post ids
/// that were not among the posts given (invented by the model); they never reach the recap.
/// </summary>
public sealed record AgentRecap(ChannelRecap Recap, AgentUsage Usage, int DroppedCitations);

/// <summary>
/// What a recap spent: tokens as the provider reported them (the tokenizer's count where it reported
/// none), the model, the time spent waiting for answers, and the model calls made (a channel summarised
/// in parts takes several; the SDK's retries of one call are not counted).
/// </summary>
public sealed record AgentUsage(string? Model, long InputTokens, long OutputTokens, int Calls, TimeSpan Latency)
{
    /// <summary>The usage of a generator that calls no model (<c>extractive</c>).</summary>
    public static readonly AgentUsage None = new(null, 0, 0, 0, TimeSpan.Zero);

    public long TotalTokens => InputTokens + OutputTokens;

    internal AgentUsage Add(long input, long output, TimeSpan latency) =>
        this with { InputTokens = InputTokens + input, OutputTokens = OutputTokens + output, Calls = Calls + 1, Latency = Latency + latency };
}

/// <summary>
/// What the caller passes for one channel: the tokens still allowed (the smaller of the recap's
/// and the user's day's remainder; unset, the agent's <see cref="AgentOptions.MaxTokensPerRecap"/>)
/// and a heartbeat called before and after every model call (an activity passes
/// <c>_ =&gt; ActivityExecutionContext.Current.Heartbeat()</c>).
/// </summary>
public sealed record AgentRun(long? TokenBudget = null, Action<AgentProgress>? Heartbeat = null)
{
    public static readonly AgentRun Default = new();
}

/// <summary>Model calls made so far and planned in all (it grows when the parts must themselves be merged in parts).</summary>
public sealed record AgentProgress(int CallsMade, int CallsPlanned);
