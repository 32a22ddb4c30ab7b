using System.Globalization;
using NodaTime;
using Npgsql;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// The shape of a load run: how many schedules (one user each), how many daily occurrences of each
/// are run (warm-up rounds first, unmeasured), how many occurrences run at once, and how many
/// database connections the worker's pool may open (activities beyond that wait for one).
/// </summary>
public sealed record LoadOptions(int Schedules, int WarmupRounds, int Rounds, int Concurrency, int PoolSize, int HistoryDays)
{
    /// <summary>Each schedule recaps this many channels …</summary>
    public const int ChannelsPerSchedule = 3;

    /// <summary>… each with this many posts in every 24-hour window (one every 14.4 minutes).</summary>
    public const int PostsPerChannelPerDay = 100;

    /// <summary>Occurrences are the schedules' first runs after this instant: early June, far from any DST change.</summary>
    public static readonly Instant Start = Instant.FromUtc(2026, 6, 1, 0, 0);

    /// <summary>Channels are shared, as in a workspace: about ten schedules read each one.</summary>
    public int Channels => Math.Max(ChannelsPerSchedule * 10, Schedules * ChannelsPerSchedule / 10);

    public int TotalRounds => WarmupRounds + Rounds;

    public int MeasuredOccurrences => Schedules * Rounds;

    public const int ExpectedMessagesPerRecap = ChannelsPerSchedule * PostsPerChannelPerDay;

    public IReadOnlyList<string> ToArgs() =>
    [
        "--schedules", Text(Schedules), "--warmup-rounds", Text(WarmupRounds), "--rounds", Text(Rounds),
        "--concurrency", Text(Concurrency), "--pool-size", Text(PoolSize), "--history-days", Text(HistoryDays),
    ];

    /// <summary>Reads <c>--name value</c> pairs over <paramref name="defaults"/>.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args, LoadOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = defaults;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--schedules" => options with { Schedules = value },
                "--warmup-rounds" => options with { WarmupRounds = value },
                "--rounds" => options with { Rounds = value },
                "--concurrency" => options with { Concurrency = value },
                "--pool-size" => options with { PoolSize = value },
                "--history-days" => options with { HistoryDays = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}; known: --schedules, --warmup-rounds, --rounds, --concurrency, --pool-size, --history-days."),
            };
        }

        return args.Count % 2 == 0 ? options : throw new ArgumentException($"Option {args[^1]} needs a value.");
    }

    /// <summary>The worker's connection string: the cluster's, with this run's pool size.</summary>
    public string WorkerConnectionString(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = PoolSize }.ConnectionString;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
