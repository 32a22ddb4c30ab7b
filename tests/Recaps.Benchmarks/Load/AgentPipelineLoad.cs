using System.Globalization;
using Npgsql;
using Recaps.Testing.Agents;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Generation.Agents;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// <c>agent-pipeline</c>: recaps per minute through the three activities of a recap run, as
/// <c>pipeline</c> runs them, first with the built-in <c>extractive</c> agent, then on the same
/// workspace (the schedules switched to an LLM agent) over the next days, with the agent's provider,
/// the in-process OpenAI-compatible fake, answering each request after 200 ms and citing the posts it
/// was given. Checks that no recap fell back, that each channel took one call, and every citation.
/// </summary>
internal static class AgentPipelineLoad
{
    public const string Mode = "agent-pipeline";

    private const string Agent = "gpt";
    private static readonly TimeSpan ProviderDelay = TimeSpan.FromMilliseconds(200);

    // Per agent: half `pipeline`'s schedules and fewer rounds, so the LLM's (about 0.7 s an occurrence, 32 at once) take about a minute.
    public static readonly LoadOptions Defaults = PipelineLoad.Defaults with { Schedules = 500, WarmupRounds = 3 };

    public static Task<int> RunAsync(LoadOptions options) => Interruption.RunAsync(async cancellationToken =>
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(request => FakeModel.PartsThenMerge(request) with { Delay = ProviderDelay });
        // Both agents' rounds are seeded and planned; the LLM's continue the schedules' days, so their windows are 24 hours too.
        var perAgent = options.TotalRounds;
        await using var worker = await SeededWorker.StartAsync(options with { Rounds = options.Rounds + perAgent }, Settings(provider), cancellationToken);
        var extractive = await PhaseAsync(worker, worker.Plan.Rounds.Take(perAgent), options, provider, cancellationToken);
        await using (var switchAgent = worker.DataSource.CreateCommand($"UPDATE schedules SET agent = '{Agent}'"))
        {
            await switchAgent.ExecuteNonQueryAsync(cancellationToken);
        }

        var llm = await PhaseAsync(worker, worker.Plan.Rounds.Skip(perAgent), options, provider, cancellationToken);
        var recaps = await AgentRecaps.ReadAsync(worker.DataSource, Agent, cancellationToken);
        Report(options, extractive, llm, recaps);
        Console.WriteLine($"load average after: {MachineReport.LoadAverage()} (other processes on the machine count too)");
        var expected = options.Schedules * perAgent;
        return PipelineLoad.Verify(extractive.Measurement.Load) && PipelineLoad.Verify(llm.Measurement.Load) &&
            Verify(extractive.Calls == 0, $"the extractive rounds called the provider {extractive.Calls} times") &&
            Verify(recaps.Recaps == expected, $"{recaps.Recaps} recaps by '{Agent}', expected {expected}") &&
            Verify(recaps.Fallbacks == 0, $"{recaps.Fallbacks} recaps fell back to extractive") &&
            Verify(
                recaps.Calls == provider.Requests.Count && recaps.Calls == LoadOptions.ChannelsPerSchedule * recaps.Recaps,
                $"{recaps.Calls} calls in the recaps' usage, {provider.Requests.Count} reached the provider; expected one per channel, {LoadOptions.ChannelsPerSchedule * recaps.Recaps}") &&
            Verify(recaps.UncitedParts == 0 && recaps.Citations > 0, $"{recaps.UncitedParts} channel parts have no highlight") &&
            Verify(recaps.Invalid == 0 && recaps.Dropped == 0, $"{recaps.Invalid} citations name no post of their channel and window, {recaps.Dropped} were dropped")
            ? 0
            : 1;
    });

    private static Dictionary<string, string?> Settings(FakeChatCompletionsServer provider) => new(StringComparer.Ordinal)
    {
        [$"{RecapAgents.Section}:{Agent}:Endpoint"] = provider.Endpoint,
        [$"{RecapAgents.Section}:{Agent}:Model"] = "fake-model",
    };

    /// <summary>One agent's warm-up and measured rounds, and how many requests reached the provider while measuring.</summary>
    private static async Task<(Measurement Measurement, int Calls)> PhaseAsync(
        SeededWorker worker, IEnumerable<IReadOnlyList<ResolveChannelsInput>> rounds, LoadOptions options, FakeChatCompletionsServer provider, CancellationToken cancellationToken)
    {
        var phase = rounds.ToList();
        await worker.WarmUpAsync(phase.Take(options.WarmupRounds), options.Concurrency, cancellationToken);
        var before = provider.Requests.Count;
        var measured = await worker.MeasureAsync(phase.Skip(options.WarmupRounds), options.Concurrency, cancellationToken);
        return (measured, provider.Requests.Count - before);
    }

    private static void Report(LoadOptions options, (Measurement Measurement, int Calls) extractive, (Measurement Measurement, int Calls) llm, AgentRecaps recaps)
    {
        // With nothing else taking time, each slot runs a recap's channels one after another, one provider delay each.
        var latencyBound = options.Concurrency / (LoadOptions.ChannelsPerSchedule * ProviderDelay.TotalSeconds) * 60;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

            provider delay {ProviderDelay.TotalMilliseconds} ms; {options.Concurrency} in flight, pool {options.PoolSize}

            | agent | recaps | elapsed s | recaps/min | p50 ms | p99 ms | provider calls | worker CPU ms/recap | postgres CPU ms/recap | machine CPU busy |
            |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
            {Row(ExtractiveRecapGenerator.Name, extractive)}
            {Row($"{Agent} (fake, {ProviderDelay.TotalMilliseconds} ms)", llm)}

            {Agent}/extractive: {llm.Measurement.Load.PerSecond / extractive.Measurement.Load.PerSecond:F3} of the recaps per minute, p50 ×{llm.Measurement.Load.Percentile(50) / extractive.Measurement.Load.Percentile(50):F1}
            bound by the provider's latency alone: {options.Concurrency} slots / ({LoadOptions.ChannelsPerSchedule} channels × {ProviderDelay.TotalMilliseconds} ms, in turn) = {latencyBound:F0} recaps/min
            '{Agent}' recaps, warm-up included: {recaps.Recaps}, {recaps.Fallbacks} fell back, {recaps.Calls} calls, {recaps.InputTokens / Math.Max(1, recaps.Recaps)} input + {recaps.OutputTokens / Math.Max(1, recaps.Recaps)} output tokens per recap, {recaps.Citations} citations ({recaps.Invalid} not a post of their channel and window, {recaps.Dropped} dropped)
            """));
    }

    private static string Row(string agent, (Measurement Measurement, int Calls) phase)
    {
        var ((load, postgresCpu, machineBusy), calls) = phase;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {agent} | {load.Occurrences} | {load.Elapsed.TotalSeconds:F1} | {load.PerSecond * 60:F0} | {load.Percentile(50):F0} | {load.Percentile(99):F0} | {calls} | " +
            $"{load.ProcessCpu.TotalMilliseconds / load.Occurrences:F2} | {postgresCpu.TotalMilliseconds / load.Occurrences:F2} | {machineBusy:F0} % |");
    }

    private static bool Verify(bool holds, string otherwise)
    {
        if (!holds)
        {
            Console.Error.WriteLine($"The workload was not as designed: {otherwise}.");
        }

        return holds;
    }

    /// <summary>What the stored recaps of an agent say: fallbacks, calls and tokens (their usage), and their citations checked against the posts.</summary>
    private sealed record AgentRecaps(int Recaps, int Fallbacks, long Calls, long InputTokens, long OutputTokens, long Dropped, long UncitedParts, long Citations, long Invalid)
    {
        public static async Task<AgentRecaps> ReadAsync(NpgsqlDataSource dataSource, string agent, CancellationToken cancellationToken)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            // A citation is valid when it names a post of that channel inside the recap's window (start exclusive, as the posts are read).
            await using var command = connection.Sql("""
                WITH mine AS (SELECT * FROM recaps WHERE agent = $1),
                parts AS (SELECT mine.window_start, mine.window_end, part FROM mine, jsonb_array_elements(mine.channels) part),
                cited AS (
                    SELECT parts.*, cited.id FROM parts,
                        jsonb_array_elements((parts.part -> 'highlights') || (parts.part -> 'actionItems')) item,
                        jsonb_array_elements_text(item -> 'postIds') cited (id))
                SELECT
                    (SELECT count(*) FROM mine)::int,
                    (SELECT count(*) FROM mine WHERE fallback_reason IS NOT NULL)::int,
                    (SELECT coalesce(sum((usage ->> 'calls')::bigint), 0) FROM mine)::bigint,
                    (SELECT coalesce(sum((usage ->> 'inputTokens')::bigint), 0) FROM mine)::bigint,
                    (SELECT coalesce(sum((usage ->> 'outputTokens')::bigint), 0) FROM mine)::bigint,
                    (SELECT coalesce(sum((usage ->> 'droppedCitations')::bigint), 0) FROM mine)::bigint,
                    (SELECT count(*) FROM parts WHERE jsonb_array_length(part -> 'highlights') = 0),
                    (SELECT count(*) FROM cited),
                    (SELECT count(*) FROM cited WHERE NOT EXISTS (
                        SELECT 1 FROM posts p
                        WHERE p.id = cited.id::bigint AND p.channel_id = cited.part ->> 'channelId' AND p.created_at > cited.window_start AND p.created_at <= cited.window_end))
                """, agent);
            var rows = await command.ReadAllAsync(
                r => new AgentRecaps(r.GetInt32(0), r.GetInt32(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8)),
                cancellationToken);
            return rows[0];
        }
    }
}
