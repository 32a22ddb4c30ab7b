using Recaps.Workflows.Chat;

namespace Recaps.Workflows.Generation.Agents;

/// <summary>A generator that calls a model: it also reports what the recap cost, keeps to a token budget and heartbeats.</summary>
public interface IAgentRecapGenerator : IRecapGenerator
{
    /// <summary>Tokens a whole recap may spend (<see cref="AgentOptions.MaxTokensPerRecap"/>), shared by its channels.</summary>
    long MaxTokensPerRecap { get; }

    /// <exception cref="AgentUnavailableException">The model could not write the recap; fall back to the extractive one.</exception>
    ValueTask<AgentRecap> GenerateAgentRecapAsync(ChatChannel channel, IReadOnlyList<ChatPost> posts, RecapAudience audience, AgentRun run, CancellationToken cancellationToken);
}

public static class RecapGeneratorUsage
{
    /// <summary>
    /// Any generator's recap with its usage: what an activity calls instead of
    /// <see cref="IRecapGenerator.GenerateAsync"/> to record usage and fallbacks (<c>extractive</c> costs nothing).
    /// </summary>
    public static async ValueTask<AgentRecap> GenerateWithUsageAsync(
        this IRecapGenerator generator, ChatChannel channel, IReadOnlyList<ChatPost> posts, RecapAudience audience, AgentRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator is IAgentRecapGenerator agent
            ? await agent.GenerateAgentRecapAsync(channel, posts, audience, run, cancellationToken).ConfigureAwait(false)
            : new AgentRecap(await generator.GenerateAsync(channel, posts, audience, cancellationToken).ConfigureAwait(false), AgentUsage.None, 0);
    }
}
