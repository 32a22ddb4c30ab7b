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

    /// <summary>Both spends together (a recap's channels); the model is the latest one reported.</summary>
    public AgentUsage Plus(AgentUsage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(other.Model ?? Model, InputTokens + other.InputTokens, OutputTokens + other.OutputTokens, Calls + other.Calls, Latency + other.Latency);
    }

    internal AgentUsage Add(string? model, long input, long output, TimeSpan latency) =>
        new(model, InputTokens + input, OutputTokens + output, Calls + 1, Latency + latency);
}

/// <summary>
/// What the caller passes for one channel: the tokens it may still spend (the smaller of what is
/// left of the recap's <see cref="AgentOptions.MaxTokensPerRecap"/> after its earlier channels and
/// of the user's day's budget; unset, the whole MaxTokensPerRecap)
/// and a heartbeat called before and after every model call and every <see cref="HeartbeatInterval"/>
/// while one is in flight (an activity passes <c>p =&gt; context.Heartbeat(p)</c>; Temporal throttles
/// heartbeats itself).
/// </summary>
public sealed record AgentRun(long? TokenBudget = null, Action<AgentProgress>? Heartbeat = null)
{
    public static readonly AgentRun Default = new();

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Model calls made so far and planned in all (it grows when the parts must themselves be merged in parts).</summary>
public sealed record AgentProgress(int CallsMade, int CallsPlanned);
