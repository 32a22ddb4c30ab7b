using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.TimeZones;
using Recaps.Api.Schedules;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Temporal;

namespace Recaps.Benchmarks.Domain;

/// <summary>
/// <c>spec-size</c>: how big the compiled specs are, per zone family: calendar entries, and bytes of
/// their JSON as the API shows them (<c>temporal.spec.calendars</c>), for Mon–Fri 09:00 and for the
/// worst time and day set of the family's zones; then the worst over every canonical zone.
/// </summary>
internal static class SpecSizeReport
{
    public const string Mode = "spec-size";

    private static readonly (string Family, string[] Zones)[] Families =
    [
        ("no DST", ["UTC", "Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Kiritimati"]),
        ("US/Canada rules", ["America/New_York", "America/Chicago", "America/Los_Angeles", "America/Vancouver", "America/St_Johns"]),
        ("EU rules", ["Europe/London", "Europe/Berlin", "Europe/Helsinki", "Europe/Lisbon"]),
        ("southern hemisphere", ["Australia/Sydney", "America/Santiago", "Pacific/Auckland"]),
        ("30-minute DST", ["Australia/Lord_Howe"]),
        ("skipped midnight", ["America/Santiago", "America/Havana", "Asia/Beirut", "Africa/Cairo", "Atlantic/Azores"]),
    ];

    /// <summary>Every half hour and the quarter past and to: the middle of each 1-hour and 30-minute gap or overlap, and 23:45 / 00:15.</summary>
    private static readonly LocalTime[] Times = [.. Enumerable.Range(0, 96).Select(quarter => LocalTime.Midnight.PlusMinutes(quarter * 15)), new(23, 59)];

    private static readonly WeekdaySet[] DaySets =
    [
        WeekdaySet.Of(WeekdaySet.Week), SpecSchedules.Weekdays, WeekdaySet.Of(IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday),
        .. WeekdaySet.Week.Select(day => WeekdaySet.Of(day)),
    ];

    /// <summary>A zone with no change compiles to one entry whatever the time: a few times tell.</summary>
    private static readonly LocalTime[] QuietTimes = [new(0, 15), new(9, 0), new(23, 45)];

    private static readonly SchedulesOptions Options = new();

    public static int Run()
    {
        var clock = Stopwatch.StartNew();
        var window = OccurrenceSpecCompiler.Window(SpecSchedules.CompiledAt, Options.SpecHorizonYears);
        Console.WriteLine($"compiled at {SpecSchedules.CompiledAt}: window {window} (SpecHorizonYears {Options.SpecHorizonYears}), tzdb {TzdbDateTimeZoneSource.Default.TzdbVersion}");
        Console.WriteLine($"worst case over {Times.Length} times (every 15 min, 23:59) x {DaySets.Length} day sets (daily, Mon-Fri, Sat+Sun, each day)");
        Console.WriteLine();
        Console.WriteLine("| family | zones | Mon-Fri 09:00: entries | bytes | worst: entries | bytes | worst schedule |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---|");
        foreach (var (family, zones) in Families)
        {
            var typical = zones.Select(zone => Size(SpecSchedules.Weekdays, new LocalTime(9, 0), zone)).ToList();
            var worst = Worst(zones.SelectMany(zone => Grid(zone, Times)));
            Console.WriteLine(
                $"| {family} | {string.Join(", ", zones)} | {Span(typical.Select(s => s.Entries))} | {Span(typical.Select(s => s.Bytes))} | {worst.Entries} | {worst.Bytes} | {worst.Schedule} |");
        }

        var source = TzdbDateTimeZoneSource.Default;
        var canonical = source.GetIds().Where(id => source.CanonicalIdMap[id] == id).Order(StringComparer.Ordinal).ToList();
        var changing = canonical.Where(id => Changes(id, window)).ToList();
        var all = Worst(canonical.SelectMany(zone => Grid(zone, changing.Contains(zone) ? Times : QuietTimes)));
        Console.WriteLine(
            $"| all zones | {canonical.Count} canonical, {changing.Count} changing offset ({QuietTimes.Length} times for the others) | | | {all.Entries} | {all.Bytes} | {all.Schedule} |");
        Console.WriteLine();
        Console.WriteLine($"{clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    private static IEnumerable<(WeekdaySet Days, LocalTime Time, string Zone)> Grid(string zone, LocalTime[] times) =>
        from days in DaySets from time in times select (days, time, zone);

    /// <summary>The schedule with the most entries (then bytes), compiled on all cores.</summary>
    private static SpecSize Worst(IEnumerable<(WeekdaySet Days, LocalTime Time, string Zone)> schedules) =>
        schedules.AsParallel().Select(s => Size(s.Days, s.Time, s.Zone)).MaxBy(s => (s.Entries, s.Bytes))!;

    private static SpecSize Size(WeekdaySet days, LocalTime time, string zone)
    {
        var schedule = TemporalScheduleSpecTranslator.Translate(SpecSchedules.Stored(days, time, zone), TimeZoneData.BuiltIn, Options, "recaps", SpecSchedules.CompiledAt);
        var calendars = TemporalScheduleView.From("", schedule).Spec.Calendars;
        var described = $"{(days == WeekdaySet.Of(WeekdaySet.Week) ? "daily" : string.Join(",", days.Days.Select(d => d.ToString()[..3])))} {time:HH':'mm} {zone}";
        return new(calendars.Count, JsonSerializer.SerializeToUtf8Bytes(calendars, RecapsDataConverter.JsonOptions).Length, described);
    }

    private static bool Changes(string zone, Interval window) =>
        DateTimeZoneProviders.Tzdb[zone].GetZoneIntervals(window).Select(i => i.WallOffset).Distinct().Skip(1).Any();

    private static string Span(IEnumerable<int> values) =>
        values.Min() == values.Max() ? values.Min().ToString(CultureInfo.InvariantCulture) : $"{values.Min()}-{values.Max()}";

    private sealed record SpecSize(int Entries, int Bytes, string Schedule);
}
