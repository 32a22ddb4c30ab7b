using NodaTime;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.Temporal;

/// <summary>
/// Evaluates the calendars of a <see cref="ScheduleSpec"/> the way the Temporal server does, so tests can
/// check what a translated spec really fires without a server. The rules, from the API's
/// <c>StructuredCalendarSpec</c> / <c>Range</c> comments and the server's
/// <c>service/worker/scheduler/calendar.go</c> (<c>compiledCalendar.matches</c>, <c>next</c>, <c>iterateRanges</c>):
/// <list type="bullet">
/// <item>a time matches when every field has a matching range; an empty <c>year</c> matches every year,
/// any other empty field matches nothing;</item>
/// <item>a range is <c>start..end</c> inclusive by <c>step</c>; step 0 means 1, and <c>end &lt; start</c> means just <c>start</c>;
/// day of week counts 0 = Sunday … 6, and 7 is Sunday too;</item>
/// <item>fields are wall-clock fields in <c>TimeZoneName</c> (UTC when empty); a wall time that does not exist
/// that day is skipped, one that happens twice fires twice (two nominal times);</item>
/// <item>the spec's next time is the earliest over its calendars, so calendars that produce the same instant fire once.</item>
/// </list>
/// Jitter only delays the start of a run; it never moves the nominal time, so it is ignored here.
/// <para>
/// This is the model DESIGN §3 states. The server gets a doubled wall time from Go's <c>time.Date</c>, which
/// picks the later instant where the offset after the change is zero or positive (London, Sydney, Chatham …),
/// and only then looks for a second copy an hour later; whether such zones really fire twice needs a real
/// server to confirm (the end-to-end tier).
/// </para>
/// </summary>
internal static class TemporalCalendarSemantics
{
    /// <summary>Every nominal time the spec fires on the local dates <paramref name="from"/> … <paramref name="to"/>, in order.</summary>
    public static IReadOnlyList<Instant> Fires(ScheduleSpec spec, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Intervals.Count > 0 || spec.CronExpressions.Count > 0 || spec.Skip.Count > 0 || spec.StartAt is not null || spec.EndAt is not null)
        {
            throw new NotSupportedException("Only calendars are evaluated; the translator uses nothing else.");
        }

        var zone = string.IsNullOrEmpty(spec.TimeZoneName) ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb[spec.TimeZoneName];
        var calendars = spec.Calendars
            .Select(c => (Calendar: c, Times: (
                from hour in Values(c.Hour, 0, 23)
                from minute in Values(c.Minute, 0, 59)
                from second in Values(c.Second, 0, 59)
                select new LocalTime(hour, minute, second)).ToList()))
            .ToList();
        var fires = new SortedSet<Instant>();
        for (var date = from; date <= to; date = date.PlusDays(1))
        {
            foreach (var (calendar, times) in calendars)
            {
                if (!MatchesDate(calendar, date))
                {
                    continue;
                }

                foreach (var time in times)
                {
                    var mapping = zone.MapLocal(date + time);

                    // 0 instants: skipped; 1: fires; 2: fires at both.
                    if (mapping.Count > 0)
                    {
                        fires.Add(mapping.First().ToInstant());
                        fires.Add(mapping.Last().ToInstant());
                    }
                }
            }
        }

        return [.. fires];
    }

    public static bool MatchesDate(ScheduleCalendarSpec calendar, LocalDate date)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var dayOfWeek = date.DayOfWeek == IsoDayOfWeek.Sunday ? 0 : (int)date.DayOfWeek;
        return (calendar.Year.Count == 0 || Matches(calendar.Year, date.Year))
            && Matches(calendar.Month, date.Month)
            && Matches(calendar.DayOfMonth, date.Day)
            && (Matches(calendar.DayOfWeek, dayOfWeek) || (dayOfWeek == 0 && Matches(calendar.DayOfWeek, 7)));
    }

    public static bool Matches(IEnumerable<ScheduleRange> ranges, int value)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        foreach (var range in ranges)
        {
            var step = range.Step == 0 ? 1 : range.Step;
            var end = range.End < range.Start ? range.Start : range.End;
            if (value >= range.Start && value <= end && (value - range.Start) % step == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<int> Values(IEnumerable<ScheduleRange> ranges, int min, int max)
    {
        for (var value = min; value <= max; value++)
        {
            if (Matches(ranges, value))
            {
                yield return value;
            }
        }
    }
}
