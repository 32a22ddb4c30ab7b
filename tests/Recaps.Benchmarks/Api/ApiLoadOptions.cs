using System.Globalization;

namespace Recaps.Benchmarks.Api;

/// <summary>
/// The shape of an API load run: how long each phase is measured (after an unmeasured warm-up),
/// and how many requests are in flight, each on its own connection (and each API request may hold
/// one of as many database connections).
/// </summary>
public sealed record ApiLoadOptions(int Seconds, int WarmupSeconds, int Connections)
{
    public static readonly ApiLoadOptions Defaults = new(Seconds: 10, WarmupSeconds: 5, Connections: 32);

    /// <summary>Schedules each user creates: the size of the list the GET phase reads.</summary>
    public const int SchedulesPerUser = 20;

    public static ApiLoadOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = Defaults;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = value },
                "--warmup-seconds" => options with { WarmupSeconds = value },
                "--connections" => options with { Connections = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}; known: --seconds, --warmup-seconds, --connections."),
            };
        }

        return args.Count % 2 == 0 ? options : throw new ArgumentException($"Option {args[^1]} needs a value.");
    }
}
