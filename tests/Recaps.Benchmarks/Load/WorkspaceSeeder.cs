using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Recaps.Benchmarks.Workspace;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Storage;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// Fills a database with a workspace for <see cref="LoadOptions"/>: shared channels, users who are
/// members of a few of them, posts at a steady rate (so every 24-hour window of a channel holds
/// exactly <see cref="LoadOptions.PostsPerChannelPerDay"/>) with weeks of older history, and one
/// daily schedule per user over three of their channels, at a random time in a random zone.
/// </summary>
internal static class WorkspaceSeeder
{
    private const int MembershipsPerUser = 8;

    public static async Task SeedAsync(NpgsqlDataSource dataSource, LoadOptions options, CancellationToken cancellationToken)
    {
        // Two spare days each side: the first window looks back a day, and a zone's first
        // occurrence after Start can be a day and a half later.
        var scheduleChannels = await SeedChatAsync(
            dataSource, options, LoadOptions.Start - Duration.FromDays(options.HistoryDays + 2), LoadOptions.Start + Duration.FromDays(options.TotalRounds + 2), cancellationToken);
        await CreateSchedulesAsync(dataSource, scheduleChannels, cancellationToken);
    }

    /// <summary>
    /// The channels, their members and posts from <paramref name="from"/> until <paramref name="until"/>;
    /// returns the channels each user's schedule reads (user <c>i</c> is <see cref="UserId"/>(i)).
    /// </summary>
    public static async Task<string[][]> SeedChatAsync(
        NpgsqlDataSource dataSource, LoadOptions options, Instant from, Instant until, CancellationToken cancellationToken)
    {
        var random = new Random(2026);
        var channels = Enumerable.Range(0, options.Channels).Select(i => $"ch-{i:D4}").ToArray();
        var members = channels.ToDictionary(c => c, _ => new List<string>(), StringComparer.Ordinal);
        var scheduleChannels = new string[options.Schedules][];
        for (var user = 0; user < options.Schedules; user++)
        {
            var joined = channels.OrderBy(_ => random.Next()).Take(MembershipsPerUser).ToArray();
            foreach (var channel in joined)
            {
                members[channel].Add(UserId(user));
            }

            scheduleChannels[user] = joined[..LoadOptions.ChannelsPerSchedule];
        }

        var store = new PostgresChatStore(dataSource, SystemClock.Instance);
        foreach (var channel in channels)
        {
            await store.UpsertChannelAsync(channel, $"channel {channel}", members[channel], cancellationToken);
        }

        await CopyPostsAsync(dataSource, channels, members, from, until, cancellationToken);
        return scheduleChannels;
    }

    public static string UserId(int index) => $"user-{index:D5}";

    private static async Task CopyPostsAsync(
        NpgsqlDataSource dataSource, string[] channels, Dictionary<string, List<string>> members, Instant from, Instant until, CancellationToken cancellationToken)
    {
        var corpus = new ChatCorpus(seed: 7);
        var spacing = Duration.FromDays(1) / LoadOptions.PostsPerChannelPerDay;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY posts (channel_id, author_id, message, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            // Time-major, so the table interleaves channels the way a live workspace writes them.
            for (var slot = from; slot < until; slot += spacing)
            {
                for (var c = 0; c < channels.Length; c++)
                {
                    var people = members[channels[c]] is { Count: > 0 } joined ? joined : [UserId(0)];
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(channels[c], NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(corpus.Pick(people), NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(corpus.NextMessage(people), NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(slot + Duration.FromSeconds(c * 7 % (long)spacing.TotalSeconds), NpgsqlDbType.TimestampTz, cancellationToken);
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        // A live database has statistics and a visibility map from autovacuum; measure that steady state.
        await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection);
        await vacuum.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CreateSchedulesAsync(NpgsqlDataSource dataSource, string[][] scheduleChannels, CancellationToken cancellationToken)
    {
        var mix = new ScheduleMix(seed: 11);
        var intents = scheduleChannels.Select(channels => new ScheduleIntent(
            "Daily digest", WeekdaySet.Of(WeekdaySet.Week), mix.NextTime(), mix.NextZoneId(), ChannelMode.Specific, channels,
            Recurring: true, ExtractiveRecapGenerator.Name, null)).ToArray();
        var schedules = new ScheduleRepository(dataSource, SystemClock.Instance);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, intents.Length),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, token) => await schedules.CreateAsync(UserId(i), intents[i], token));
    }
}
