using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Recaps.Benchmarks.Workspace;
using Recaps.Workflows.Configuration;

namespace Recaps.Benchmarks.Load;

/// <summary>
/// What both arms of the <c>system</c> load share: every timetable due at the same instant (a whole
/// minute, in a mix of zones), Recaps' default jitter and catch-up window, and waiting for the runs.
/// </summary>
internal static class DueMinute
{
    public static readonly TimeSpan Jitter = new SchedulesOptions().Jitter;

    public static readonly TimeSpan CatchupWindow = new SchedulesOptions().CatchupWindow;

    /// <summary>How long a wait goes on without progress before it gives up.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(5);

    /// <summary>The first whole minute at least <paramref name="lead"/> after now.</summary>
    public static Instant After(Duration lead)
    {
        var earliest = SystemClock.Instance.GetCurrentInstant() + lead;
        var minute = Duration.FromMinutes(1).BclCompatibleTicks;
        return Instant.FromUnixTimeTicks((earliest.ToUnixTimeTicks() + minute - 1) / minute * minute);
    }

    /// <summary><paramref name="count"/> timetables in the zones of <see cref="ScheduleMix"/>, each at its local time of <paramref name="due"/>.</summary>
    public static DueTimetable[] Timetables(int count, Instant due)
    {
        var mix = new ScheduleMix(seed: 17);
        return [.. Enumerable.Range(0, count).Select(_ => mix.NextZoneId()).Select(zone => new DueTimetable(zone, due.InZone(DateTimeZoneProviders.Tzdb[zone]).TimeOfDay))];
    }

    /// <summary>Waits until <paramref name="count"/> reaches <paramref name="expected"/>, or has not grown for five minutes; returns the last count.</summary>
    public static async Task<long> WaitForAsync(string what, long expected, Func<CancellationToken, Task<long>> count, CancellationToken cancellationToken)
    {
        var (last, sinceProgress, sinceReport) = (-1L, Stopwatch.StartNew(), Stopwatch.StartNew());
        while (true)
        {
            var now = await count(cancellationToken);
            if (now != last)
            {
                (last, sinceProgress) = (now, Stopwatch.StartNew());
            }

            if (now >= expected || sinceProgress.Elapsed > Stall)
            {
                Console.WriteLine($"{what}: {now} of {expected} at {SystemClock.Instance.GetCurrentInstant()}");
                return now;
            }

            if (sinceReport.Elapsed > TimeSpan.FromSeconds(30))
            {
                Console.WriteLine($"{what}: {now} of {expected}; load average {MachineReport.LoadAverage()}");
                sinceReport.Restart();
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    /// <summary>Waits until <paramref name="instant"/>.</summary>
    public static async Task UntilAsync(Instant instant, CancellationToken cancellationToken)
    {
        var left = instant - SystemClock.Instance.GetCurrentInstant();
        if (left > Duration.Zero)
        {
            await Task.Delay(left.ToTimeSpan(), cancellationToken);
        }
    }
}

/// <summary>One timetable of the load: the local time in its zone at which it is due.</summary>
internal sealed record DueTimetable(string ZoneId, LocalTime Local);

/// <summary>Nominal time to done, in seconds, for every run.</summary>
internal sealed record Delays(double[] Seconds)
{
    public double Percentile(double p) => Latencies.Percentile(Seconds, p);

    public double Max => Seconds.Length == 0 ? 0 : Seconds.Max();

    public string Cells() => string.Create(CultureInfo.InvariantCulture, $"{Percentile(50):F1} | {Percentile(99):F1} | {Max:F1}");
}

/// <summary>A process of an arm: its CPU time so far and its memory (null where one number would mislead).</summary>
internal sealed record ProcessMeter(string Name, Func<TimeSpan> Cpu, Func<ProcessMemory?> Memory)
{
    public ProcessReading Read() => new(Cpu(), Memory());
}

/// <summary>A process's CPU time and memory at one moment.</summary>
internal sealed record ProcessReading(TimeSpan Cpu, ProcessMemory? Memory);

/// <summary>
/// A process of an arm read as it started, once the schedules were written, and once the runs were
/// done: the CPU each stage used, and the memory at each (the peak once written is the sync's).
/// </summary>
internal sealed record ProcessUse(string Name, ProcessReading Started, ProcessReading Written, ProcessReading Ran)
{
    public const string Header = """
        | process | CPU s writing the schedules | CPU s running the due minute | CPU ms per run | VmRSS MB started | VmHWM MB once written | VmHWM MB | VmRSS MB after |
        |---|---:|---:|---:|---:|---:|---:|---:|
        """;

    public TimeSpan Writing => Written.Cpu - Started.Cpu;

    public TimeSpan Running => Ran.Cpu - Written.Cpu;

    public string Row(int runs) => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {Writing.TotalSeconds:F1} | {Running.TotalSeconds:F1} | {Running.TotalMilliseconds / runs:F2} | {Mb(Started.Memory?.VmRssKb)} | {Mb(Written.Memory?.VmHwmKb)} | {Mb(Ran.Memory?.VmHwmKb)} | {Mb(Ran.Memory?.VmRssKb)} |");

    private static string Mb(long? kb) => kb is { } value ? (value / 1024.0).ToString("F1", CultureInfo.InvariantCulture) : "n/a";
}
