using NodaTime;
using NodaTime.TimeZones;

namespace Recaps.Workflows.Domain;

/// <summary>
/// Computes occurrences of a <see cref="Recurrence"/> under the DST policy: exactly one occurrence
/// per matching local date; a wall time inside a gap runs shifted forward by the gap, and a wall
/// time that happens twice runs at the earlier instant.
/// </summary>
public static class RecurrenceEngine
{
    // An occurrence's instant can land on the next local date (a gap across midnight), so the
    // search starts one day early; a week and two days always reach a matching date.
    private const int DaysSearched = 9;

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none.</summary>
    public static Occurrence? Next(Recurrence recurrence, Instant after)
    {
        if (recurrence.Days.IsEmpty)
        {
            return null;
        }

        if (!recurrence.Recurring)
        {
            var only = NextRecurring(recurrence, recurrence.Anchor);
            return only.At > after ? only : null;
        }

        return NextRecurring(recurrence, after);
    }

    /// <summary>The first <paramref name="count"/> occurrences strictly after <paramref name="after"/>, in order.</summary>
    public static IReadOnlyList<Occurrence> Next(Recurrence recurrence, Instant after, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new List<Occurrence>(count);
        var cursor = after;
        while (result.Count < count && Next(recurrence, cursor) is { } next)
        {
            result.Add(next);
            if (!recurrence.Recurring)
            {
                break;
            }

            cursor = next.At;
        }

        return result;
    }

    /// <summary>The occurrences after <paramref name="after"/> up to and including <paramref name="until"/>, in order.</summary>
    public static IEnumerable<Occurrence> Between(Recurrence recurrence, Instant after, Instant until)
    {
        for (var cursor = after; Next(recurrence, cursor) is { } next && next.At <= until; cursor = next.At)
        {
            yield return next;
        }
    }

    /// <summary>Where the chosen time falls on <paramref name="date"/> under the DST policy.</summary>
    public static Occurrence On(Recurrence recurrence, LocalDate date)
    {
        var local = date + recurrence.Time;
        var mapping = recurrence.Zone.MapLocal(local);
        var shift = mapping.Count switch
        {
            0 => OccurrenceShift.ForwardOverGap,
            2 => OccurrenceShift.EarlierOfTwo,
            _ => OccurrenceShift.None,
        };

        // Lenient: 02:30 on a spring-forward day runs at 03:30; on a fall-back day at the first 01:30.
        return new Occurrence(date, Resolvers.LenientResolver(mapping), shift);
    }

    /// <summary>
    /// The local date whose occurrence is due at <paramref name="nominal"/>, or, for an instant the
    /// policy would not choose (the second of a doubled hour, a timetable changed since), the local date of the instant.
    /// </summary>
    public static LocalDate OccurrenceDateOf(Recurrence recurrence, Instant nominal)
    {
        var localDate = nominal.InZone(recurrence.Zone).Date;
        foreach (var date in (ReadOnlySpan<LocalDate>)[localDate, localDate.PlusDays(-1)])
        {
            if (recurrence.Days.Contains(date.DayOfWeek) && On(recurrence, date).At == nominal)
            {
                return date;
            }
        }

        return localDate;
    }

    private static Occurrence NextRecurring(Recurrence recurrence, Instant after)
    {
        var date = after.InZone(recurrence.Zone).Date.PlusDays(-1);
        for (var i = 0; i < DaysSearched; i++, date = date.PlusDays(1))
        {
            if (!recurrence.Days.Contains(date.DayOfWeek))
            {
                continue;
            }

            var occurrence = On(recurrence, date);
            if (occurrence.At > after)
            {
                return occurrence;
            }
        }

        throw new InvalidOperationException("A non-empty weekday set always matches within nine days.");
    }
}
