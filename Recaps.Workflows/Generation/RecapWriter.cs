using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Generation.Agents;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Telemetry;

namespace Recaps.Workflows.Generation;

/// <summary>What a recap is written from: its run, whom it is for, and which channels over which window.</summary>
public sealed record RecapDraft(Guid RunId, RecapAudience Audience, IReadOnlyList<RecapChannel> Channels, Instant WindowStart, Instant WindowEnd);

/// <summary>A recap's channel parts and how they were made: the agent asked for, why it fell back to <c>extractive</c> if it did, and what the model calls cost.</summary>
public sealed record WrittenRecap(IReadOnlyList<ChannelRecap> Parts, string Agent, string? FallbackReason, RecapUsage? Usage)
{
    public string Status => Parts.Any(p => p.Error is not null) ? "partial" : "completed";

    /// <summary>Every channel failed and a retry may mend it (a channel the owner has left stays left).</summary>
    public bool AllChannelsFailed => Parts.Any(p => p.Error == RunErrors.ChannelFailed) && Parts.All(p => p.Error is not null);

    /// <summary>The recap to store: version <paramref name="version"/> of the draft's run.</summary>
    public StoredRecap Stored(Guid id, Guid scheduleId, RecapDraft draft, Instant createdAt, int version)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return new(
            id, scheduleId, draft.RunId, draft.Audience.UserId, draft.Audience.Title, Status, draft.WindowStart, draft.WindowEnd, createdAt, Parts,
            Agent, FallbackReason, Usage, version);
    }
}

/// <summary>
/// Writes one recap's channel parts: what a schedule's run and a regeneration both store. An LLM agent
/// gets each channel in turn with what is left of the recap's <see cref="IAgentRecapGenerator.MaxTokensPerRecap"/>
/// and of the user's day (<see cref="LimitsOptions.MaxAgentTokensPerUserPerDay"/>). When it cannot go on
/// (<see cref="AgentUnavailableException"/>, after the SDK's retries) the whole recap is the extractive
/// one, marked with the reason: a reader never gets a recap half by one agent and half by another.
/// The tokens spent before count all the same, in the usage and in the day's spend.
/// </summary>
public sealed class RecapWriter(
    IChatSource chat,
    AgentTokenSpend spend,
    IOptions<RecapsOptions> options,
    IClock clock,
    RecapsMetrics metrics,
    ILogger<RecapWriter> logger)
{
    private static readonly ExtractiveRecapGenerator Extractive = new();

    /// <param name="generator">The agent asked for.</param>
    /// <param name="draft">The run, audience, channels and window.</param>
    /// <param name="spendKey">Names this attempt's spend for the daily budget: unique per recap version and activity attempt.</param>
    /// <param name="heartbeat">The activity's heartbeat.</param>
    /// <param name="cancellationToken">The activity's cancellation.</param>
    public async Task<WrittenRecap> WriteAsync(
        IRecapGenerator generator, RecapDraft draft, string spendKey, Action<object?> heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(heartbeat);
        var inputs = new List<(ChatChannel Channel, IReadOnlyList<ChatPost>? Posts)>();
        foreach (var channel in draft.Channels)
        {
            heartbeat(channel.Id);
            inputs.Add((new ChatChannel(channel.Id, channel.Name), await PostsAsync(draft, channel, cancellationToken)));
        }

        if (generator is not IAgentRecapGenerator agent)
        {
            return new([.. await PartsAsync(generator, draft, inputs, cancellationToken)], generator.Agent, null, null);
        }

        var day = AgentTokenSpend.Day(clock.GetCurrentInstant());
        var leftToday = options.Value.Limits.MaxAgentTokensPerUserPerDay - await spend.SpentAsync(draft.Audience.UserId, day, cancellationToken);
        var usage = AgentUsage.None;
        var dropped = 0;
        var parts = new List<ChannelRecap>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var (channel, posts) = inputs[i];
            if (posts is null)
            {
                parts.Add(AccessLost(channel));
                continue;
            }

            var budget = Math.Max(0, Math.Min(agent.MaxTokensPerRecap, leftToday) - usage.TotalTokens);
            var run = new AgentRun(budget, progress => heartbeat(progress));
            AgentUsage spent;
            try
            {
                var recap = await agent.GenerateWithUsageAsync(channel, posts, draft.Audience, run, cancellationToken);
                (spent, dropped) = (recap.Usage, dropped + recap.DroppedCitations);
                parts.Add(recap.Recap);
                metrics.AgentChannel(agent.Agent, recap.Usage, recap.DroppedCitations);
            }
            catch (AgentUnavailableException unavailable)
            {
                spent = unavailable.Usage;
                metrics.AgentChannel(agent.Agent, spent, 0);
                usage = usage.Plus(spent);
                await RecordAsync(draft, day, $"{spendKey}/{i}", spent, cancellationToken);
                logger.AgentFellBack(unavailable, agent.Agent, draft.RunId, unavailable.Reason);
                return new(
                    [.. await PartsAsync(Extractive, draft, inputs, cancellationToken)], agent.Agent, unavailable.Reason, RecapUsage.From(usage, dropped));
            }
            catch (Exception error) when (error is not OperationCanceledException and not NpgsqlException)
            {
                logger.ChannelFailed(error, channel.Id, draft.RunId);
                parts.Add(Failed(channel, posts));
                continue;
            }

            usage = usage.Plus(spent);
            await RecordAsync(draft, day, $"{spendKey}/{i}", spent, cancellationToken);
        }

        return new(parts, agent.Agent, null, RecapUsage.From(usage, dropped));
    }

    private async Task RecordAsync(RecapDraft draft, LocalDate day, string key, AgentUsage spent, CancellationToken cancellationToken)
    {
        if (spent.TotalTokens > 0)
        {
            await spend.RecordAsync(draft.Audience.UserId, day, key, spent.TotalTokens, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<ChatPost>?> PostsAsync(RecapDraft draft, RecapChannel channel, CancellationToken cancellationToken)
    {
        // Read as the owner: a channel they have left since the claim gives no posts (null).
        return await chat.PostsAsync(
            draft.Audience.UserId, channel.Id, channel.PostsAfter(draft.WindowStart), draft.WindowEnd, options.Value.Limits.MaxPostsPerChannel, cancellationToken);
    }

    private async Task<List<ChannelRecap>> PartsAsync(
        IRecapGenerator generator, RecapDraft draft, List<(ChatChannel Channel, IReadOnlyList<ChatPost>? Posts)> inputs, CancellationToken cancellationToken)
    {
        var parts = new List<ChannelRecap>();
        foreach (var (channel, posts) in inputs)
        {
            if (posts is null)
            {
                parts.Add(AccessLost(channel));
                continue;
            }

            try
            {
                parts.Add(await generator.GenerateAsync(channel, posts, draft.Audience, cancellationToken));
            }
            catch (Exception error) when (error is not OperationCanceledException and not NpgsqlException)
            {
                // One channel's failure is reported in the recap; the store being down fails the attempt instead.
                logger.ChannelFailed(error, channel.Id, draft.RunId);
                parts.Add(Failed(channel, posts));
            }
        }

        return parts;
    }

    private static ChannelRecap AccessLost(ChatChannel channel) => new(channel.Id, channel.Name, 0, [], [], RunErrors.ChannelAccessLost);

    private static ChannelRecap Failed(ChatChannel channel, IReadOnlyList<ChatPost> posts) => new(channel.Id, channel.Name, posts.Count, [], [], RunErrors.ChannelFailed);
}
