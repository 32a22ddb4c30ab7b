using NodaTime;

namespace Recaps.Workflows.Domain;

/// <summary>
/// A schedule's timetable: the days, the wall-clock time and the zone it is read in.
/// A one-time recurrence has a single occurrence, the first one after <see cref="Anchor"/>.
/// </summary>
public sealed record Recurrence(WeekdaySet Days, LocalTime Time, DateTimeZone Zone, bool Recurring, Instant Anchor);

/// <summary>How the chosen wall time was placed on the time line on an occurrence's date.</summary>
public enum OccurrenceShift
{
    None,

    /// <summary>The wall time did not exist (clocks jumped forward); it ran later by the gap's length.</summary>
    ForwardOverGap,

    /// <summary>The wall time happened twice (clocks went back); it ran at the earlier one.</summary>
    EarlierOfTwo,
}

/// <summary>One run of a schedule: the local date it belongs to and the instant it is due.</summary>
public readonly record struct Occurrence(LocalDate Date, ZonedDateTime Local, OccurrenceShift Shift)
{
    public Instant At => Local.ToInstant();

    /// <summary>The key that makes this occurrence unique per schedule: its local date, ISO format.</summary>
    public string Key => OccurrenceKeys.ForDate(Date);

    /// <summary>Says in words when DST moved this occurrence, null otherwise.</summary>
    public string? Note => Shift switch
    {
        OccurrenceShift.ForwardOverGap =>
            $"{Date:uuuu'-'MM'-'dd}: the chosen time does not exist in {Local.Zone.Id} (clocks go forward); runs at {Local.TimeOfDay:HH':'mm}",
        OccurrenceShift.EarlierOfTwo =>
            $"{Date:uuuu'-'MM'-'dd}: the chosen time happens twice in {Local.Zone.Id} (clocks go back); runs once, at the first",
        _ => null,
    };
}

public static class OccurrenceKeys
{
    public static string ForDate(LocalDate date) => date.ToString("uuuu'-'MM'-'dd", null);

    public const string RunNowPrefix = "run-";

    /// <summary>Run-now requests are occurrences of their own, keyed by the request.</summary>
    public static string ForRunNow(Guid runId) => $"{RunNowPrefix}{runId:N}";
}
