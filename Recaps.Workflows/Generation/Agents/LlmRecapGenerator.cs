using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using Recaps.Workflows.Chat;

namespace Recaps.Workflows.Generation.Agents;

/// <summary>
/// An LLM agent over an OpenAI-compatible chat completions endpoint. The model answers JSON of
/// <see cref="AgentPrompt.Schema"/>; every item must cite the posts it comes from. A channel whose
/// request would exceed <see cref="AgentOptions.MaxInputTokens"/> is summarised in parts and the
/// parts' recaps merged (again in parts if need be), and a post too large for one request is sent
/// in pieces: nothing is cut or left out.
/// </summary>
public sealed class LlmRecapGenerator : IAgentRecapGenerator
{
    // Merging in parts shrinks the items to at most 15 per part; a model that keeps them large
    // could loop, so past this many merge rounds the channel counts as too large.
    private const int MaxMergeRounds = 4;

    private readonly AgentOptions _options;
    private readonly IChatClient _client;
    private readonly TimeProvider _time;
    private readonly ChatOptions _chatOptions;

    public LlmRecapGenerator(string agent, AgentOptions options, IChatClient client, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Agent = agent;
        _options = options;
        _client = client;
        _time = time;
        _chatOptions = new ChatOptions
        {
            ModelId = options.Model,
            Temperature = options.Temperature,
            MaxOutputTokens = options.MaxOutputTokens,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(AgentPrompt.Schema, "channel_recap"),
        };
    }

    public string Agent { get; }

    public long MaxTokensPerRecap => _options.MaxTokensPerRecap;

    /// <summary>The generator of a configured agent, through the OpenAI SDK (which retries 429, 5xx and network failures).</summary>
    public static LlmRecapGenerator Create(string agent, AgentOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new OpenAIClient(
            new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey),
            new OpenAIClientOptions
            {
                Endpoint = new Uri(options.Endpoint!),
                RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
                NetworkTimeout = options.RequestTimeout,
            });
        return new LlmRecapGenerator(agent, options, client.GetChatClient(options.Model).AsIChatClient(), time);
    }

    public async ValueTask<ChannelRecap> GenerateAsync(ChatChannel channel, IReadOnlyList<ChatPost> posts, RecapAudience audience, CancellationToken cancellationToken) =>
        (await GenerateAgentRecapAsync(channel, posts, audience, AgentRun.Default, cancellationToken).ConfigureAwait(false)).Recap;

    public async ValueTask<AgentRecap> GenerateAgentRecapAsync(ChatChannel channel, IReadOnlyList<ChatPost> posts, RecapAudience audience, AgentRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(posts);
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(run);
        var recap = new Recap(this, channel, audience, run, cancellationToken);
        var (highlights, actionItems) = await recap.SummariseAsync([.. posts.SelectMany(recap.PostEntries)], merging: false).ConfigureAwait(false);
        return new AgentRecap(
            new ChannelRecap(channel.Id, channel.Name, posts.Count, highlights, actionItems, null), recap.Usage, recap.DroppedCitations);
    }

    /// <summary>A post, or an item of a part's recap, as one JSON value of the data, with the post ids it may be cited by.</summary>
    private sealed record Entry(string Json, IReadOnlyList<string> PostIds)
    {
        public int Tokens { get; } = AgentTokens.Count(Json);
    }

    /// <summary>One request: its data message, the ids it may cite and its token count.</summary>
    private sealed record Part(string Data, HashSet<string> PostIds, int Tokens);

    private sealed record Output(List<OutputItem>? Highlights, List<OutputItem>? ActionItems);

    private sealed record OutputItem(string? Text, List<string>? PostIds);

    /// <summary>The state of one channel's recap: what it spent and dropped so far.</summary>
    private sealed class Recap(LlmRecapGenerator generator, ChatChannel channel, RecapAudience audience, AgentRun run, CancellationToken cancellationToken)
    {
        // Tokens can merge across the joint of two entries; an entry within this of the limit is split all the same.
        private const int JointSlack = 8;
        private const int MinPieceTokens = 50;

        private readonly long _budget = run.TokenBudget ?? generator._options.MaxTokensPerRecap;

        // What a request for posts leaves for them once the prompt is counted.
        private readonly int _room = generator._options.MaxInputTokens - CountRequest(AgentPrompt.Request(audience, merging: false), AgentPrompt.Data(channel, merging: false, []));
        private int _callsPlanned;

        public AgentUsage Usage { get; private set; } = AgentUsage.None with { Model = generator._options.Model };

        public int DroppedCitations { get; private set; }

        /// <summary>
        /// The post as an entry of the data, or, when it would not fit in a request on its own, as
        /// pieces each citable by its id. A piece takes at most half the room the prompt leaves, so its
        /// JSON escapes and other fields surely fit in the rest.
        /// </summary>
        public IEnumerable<Entry> PostEntries(ChatPost post)
        {
            var whole = new Entry(AgentPrompt.Post(post), [post.Id]);
            if (whole.Tokens + JointSlack <= _room)
            {
                return [whole];
            }

            if (_room < 2 * MinPieceTokens)
            {
                throw Unavailable(AgentUnavailableException.InputTooLarge, $"the prompt leaves {_room} tokens of MaxInputTokens ({generator._options.MaxInputTokens}) for posts");
            }

            var pieces = AgentTokens.Pieces(post.Message, _room / 2).ToList();
            return pieces.Select((piece, i) => new Entry(AgentPrompt.Post(post, $"{i + 1}/{pieces.Count}", piece), [post.Id]));
        }

        public async Task<(List<RecapItem> Highlights, List<RecapItem> ActionItems)> SummariseAsync(IReadOnlyList<Entry> entries, bool merging, int round = 0)
        {
            if (entries.Count == 0)
            {
                return ([], []); // no posts, or parts that yielded no item: nothing to summarise, nothing to pay for
            }

            var request = AgentPrompt.Request(audience, merging);
            var parts = Split(request, merging, entries);
            _callsPlanned = Usage.Calls + parts.Count + (parts.Count > 1 ? 1 : 0);
            // Each planned call may answer up to MaxOutputTokens: refused now rather than after the parts are paid for.
            var planned = parts.Sum(p => (long)p.Tokens) + ((long)parts.Count * generator._options.MaxOutputTokens);
            if (Usage.TotalTokens + planned > _budget)
            {
                throw Unavailable(
                    AgentUnavailableException.BudgetExhausted,
                    $"the {parts.Count} request(s) may cost {planned} tokens (their input and each answer's MaxOutputTokens), {_budget - Usage.TotalTokens} are left");
            }

            if (parts.Count == 1)
            {
                return await CallAsync(request, parts[0]).ConfigureAwait(false);
            }

            if (round == MaxMergeRounds)
            {
                throw Unavailable(AgentUnavailableException.InputTooLarge, $"the recaps of its parts still needed {parts.Count} requests after {round} rounds of merging");
            }

            var partials = new List<Entry>();
            foreach (var part in parts)
            {
                var (highlights, actionItems) = await CallAsync(request, part).ConfigureAwait(false);
                partials.AddRange(highlights.Select(item => new Entry(AgentPrompt.PartialItem("highlight", item), item.PostIds)));
                partials.AddRange(actionItems.Select(item => new Entry(AgentPrompt.PartialItem("actionItem", item), item.PostIds)));
            }

            return await SummariseAsync(partials, merging: true, round + 1).ConfigureAwait(false);
        }

        /// <summary>
        /// The entries in consecutive parts, each request within MaxInputTokens. Parts are filled by
        /// the entries' own counts, then each request is counted whole (tokens can merge across a
        /// joint) and halved until it fits.
        /// </summary>
        private List<Part> Split(string request, bool merging, IReadOnlyList<Entry> entries)
        {
            var limit = generator._options.MaxInputTokens;
            var empty = CountRequest(request, AgentPrompt.Data(channel, merging, []));
            var parts = new List<Part>();
            var current = new List<Entry>();
            var currentTokens = empty;
            foreach (var entry in entries)
            {
                var tokens = entry.Tokens + 1; // and the ",\n" joining it to the next
                if (currentTokens + tokens > limit && current.Count > 0)
                {
                    Fit(current);
                    current = [];
                    currentTokens = empty;
                }

                current.Add(entry);
                currentTokens += tokens;
            }

            if (current.Count > 0)
            {
                Fit(current);
            }

            return parts;

            void Fit(List<Entry> part)
            {
                var data = AgentPrompt.Data(channel, merging, part.Select(e => e.Json));
                var tokens = CountRequest(request, data);
                if (tokens <= limit)
                {
                    parts.Add(new Part(data, [.. part.SelectMany(e => e.PostIds)], tokens));
                }
                else if (part.Count == 1)
                {
                    throw Unavailable(AgentUnavailableException.InputTooLarge, $"one entry (citing post {part[0].PostIds[0]}) alone makes a request of {tokens} tokens, over MaxInputTokens ({limit})");
                }
                else
                {
                    Fit(part[..(part.Count / 2)]);
                    Fit(part[(part.Count / 2)..]);
                }
            }
        }

        private async Task<(List<RecapItem> Highlights, List<RecapItem> ActionItems)> CallAsync(string request, Part part)
        {
            if (Usage.TotalTokens + part.Tokens + generator._options.MaxOutputTokens > _budget)
            {
                throw Unavailable(AgentUnavailableException.BudgetExhausted, $"the next request may cost {part.Tokens + generator._options.MaxOutputTokens} tokens, {_budget - Usage.TotalTokens} are left");
            }

            var progress = new AgentProgress(Usage.Calls, _callsPlanned);
            run.Heartbeat?.Invoke(progress);
            var started = generator._time.GetTimestamp();
            ChatResponse response;
            // A call may take minutes (a slow model, the SDK waiting out a Retry-After): beat meanwhile too.
            var beat = run.Heartbeat is { } heartbeat ? generator._time.CreateTimer(_ => Beat(heartbeat, progress), null, run.HeartbeatInterval, run.HeartbeatInterval) : null;
            // The SDK waits out whatever Retry-After a provider sends, and the beats keep the activity alive
            // meanwhile: without a limit of its own, one call could hold a run for hours.
            using var deadline = new CancellationTokenSource(generator._options.CallDeadline, generator._time);
            using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                response = await generator._client.GetResponseAsync(
                    [new(ChatRole.System, AgentPrompt.System), new(ChatRole.User, request), new(ChatRole.User, part.Data)],
                    generator._chatOptions,
                    call.Token).ConfigureAwait(false);
            }
            catch (ClientResultException e)
            {
                var reason = e.Status == 429 ? AgentUnavailableException.RateLimited : AgentUnavailableException.ProviderError;
                throw Unavailable(reason, $"the provider answered {e.Status} (429 and 5xx are retried up to {generator._options.MaxRetries} times): {e.Message}", e);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw Unavailable(
                    AgentUnavailableException.ProviderError,
                    $"the provider could not be reached or did not answer within {generator._options.CallDeadline}, {generator._options.MaxRetries} retries included: {e.Message}",
                    e);
            }
            finally
            {
                beat?.Dispose();
            }

            Usage = Usage.Add(
                response.ModelId ?? Usage.Model,
                response.Usage?.InputTokenCount ?? part.Tokens,
                response.Usage?.OutputTokenCount ?? AgentTokens.Count(response.Text),
                generator._time.GetElapsedTime(started));
            run.Heartbeat?.Invoke(new AgentProgress(Usage.Calls, _callsPlanned));

            if (response.FinishReason == ChatFinishReason.Length)
            {
                throw Unavailable(AgentUnavailableException.InvalidOutput, $"the answer was cut at MaxOutputTokens ({generator._options.MaxOutputTokens})");
            }

            Output? output;
            try
            {
                output = JsonSerializer.Deserialize<Output>(response.Text, AgentPrompt.Json);
            }
            catch (JsonException e)
            {
                throw Unavailable(AgentUnavailableException.InvalidOutput, "the answer is not JSON of the schema", e);
            }

            return (Cited(output?.Highlights, part.PostIds, ExtractiveRecapGenerator.MaxHighlights), Cited(output?.ActionItems, part.PostIds, ExtractiveRecapGenerator.MaxActionItems));
        }

        /// <summary>
        /// The items with only the ids they may cite; each other id is counted as dropped. An item left
        /// with no valid citation is dropped too: a claim no given post backs is exactly what citations
        /// are there to keep out of a recap.
        /// </summary>
        private List<RecapItem> Cited(List<OutputItem>? items, HashSet<string> postIds, int max)
        {
            var cited = new List<RecapItem>();
            foreach (var item in items ?? [])
            {
                var ids = (item.PostIds ?? []).Distinct(StringComparer.Ordinal).ToList();
                var valid = ids.Where(postIds.Contains).ToList();
                DroppedCitations += ids.Count - valid.Count;
                if (valid.Count > 0 && !string.IsNullOrWhiteSpace(item.Text) && cited.Count < max)
                {
                    cited.Add(new RecapItem(item.Text.Trim(), valid));
                }
            }

            return cited;
        }

        private static int CountRequest(string request, string data) =>
            AgentTokens.CountRequest([("system", AgentPrompt.System), ("user", request), ("user", data)], AgentPrompt.SchemaAsSent);

        private AgentUnavailableException Unavailable(string reason, string message, Exception? inner = null) =>
            new(reason, $"agent '{generator.Agent}', channel {channel.Id}: {message}", Usage, inner);

        /// <summary>
        /// A beat from the timer's thread: an exception there would end the process, and a beat that fails
        /// (the activity cancelled meanwhile) changes nothing the call's own cancellation does not.
        /// </summary>
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "Any failure of a beat is dropped on purpose.")]
        private static void Beat(Action<AgentProgress> heartbeat, AgentProgress progress)
        {
            try
            {
                heartbeat(progress);
            }
            catch (Exception)
            {
                // Dropped: see the summary.
            }
        }
    }
}
