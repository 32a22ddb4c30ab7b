using Recaps.Workflows.Generation.Agents;

namespace Recaps.Workflows.Generation;

/// <summary>
/// What an LLM agent's recap cost, as stored on the recap and returned by the API: the model, tokens
/// (all channels, attempts that fell back included), model calls, time spent waiting for answers, and
/// cited post ids dropped because no given post had them.
/// </summary>
public sealed record RecapUsage(string? Model, long InputTokens, long OutputTokens, int Calls, long LatencyMs, int DroppedCitations)
{
    public static RecapUsage From(AgentUsage usage, int droppedCitations)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return new(usage.Model, usage.InputTokens, usage.OutputTokens, usage.Calls, (long)usage.Latency.TotalMilliseconds, droppedCitations);
    }
}
