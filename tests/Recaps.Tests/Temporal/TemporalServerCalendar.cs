using NodaTime;
using Temporalio.Client.Schedules;

namespace Recaps.Tests.Temporal;

/// <summary>
/// The Temporal server's evaluation of a <see cref="ScheduleSpec"/>, ported so tests can see which nominal times a
/// translated spec really fires without a server. It is a port of the semantics, not the style, of
/// temporalio/temporal
/// <list type="bullet">
/// <item><c>service/worker/scheduler/calendar.go</c>: <c>compiledCalendar.next</c> and <c>compiledCalendar.matches</c>,
/// <c>makeBitMatcher</c>, <c>makeYearMatcher</c>, <c>iterateRanges</c>, <c>daysInMonth</c>;</item>
/// <item><c>service/worker/scheduler/spec.go</c>: <c>CompiledSpec.getNextTime</c> (the nominal time; jitter only
/// delays a start), <c>rawNextTime</c>, <c>excluded</c>, <c>validateStructuredCalendar</c>;</item>
/// </list>
/// and of Go's <c>time.Date</c> (<c>src/time/time.go</c>) with <c>(*Location).lookup</c> (<c>src/time/zoneinfo.go</c>),
/// NodaTime's tzdb standing in for the server's zoneinfo. Keep it line for line with those sources.
/// <para>
/// What follows from them, and what a "skip a missing wall time, fire twice on a doubled one" reading gets wrong:
/// <c>time.Date</c> resolves a doubled wall time to the later instant where the offset after the change is zero
/// or more (London, Dublin, Sydney, Lord Howe, Chatham, Casablanca) and to the earlier one elsewhere; <c>next</c>
/// finds a second copy only when it rolls over from one hour into an hour that starts two hours later, and then
/// returns <c>time.Date(h:mm) + 1h</c>; a missing wall time is skipped only when <c>time.Date</c> lands in another
/// hour, so a half-hour gap keeps its hour and fires; and a day whose midnight is missing (Santiago) has its
/// weekday read from the instant <c>time.Date</c> picks, which is on the day before.
/// </para>
/// </summary>
internal sealed class TemporalServerCalendar
{
    /// <summary><c>maxCalendarYear</c>: the server searches no further.</summary>
    public const int MaxCalendarYear = 2100;

    private const int MinCalendarYear = 2000;
    private const long Hour = 3600;

    private static readonly int UnixEpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    private readonly DateTimeZone _tz;
    private readonly List<CompiledCalendar> _calendars;
    private readonly List<CompiledCalendar> _excludes;
    private readonly int _maxYear;

    /// <param name="spec">The spec as the SDK sends it: <c>Calendars</c> become <c>structured_calendar</c>,
    /// <c>Skip</c> becomes <c>exclude_structured_calendar</c>.</param>
    /// <param name="maxYear">Stands in for <c>maxCalendarYear</c>; a test that stops earlier stays fast.</param>
    public TemporalServerCalendar(ScheduleSpec spec, int maxYear = MaxCalendarYear)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Intervals.Count > 0 || spec.CronExpressions.Count > 0 || spec.StartAt is not null || spec.EndAt is not null)
        {
            throw new NotSupportedException("Only calendars and skip calendars are ported; the translator uses nothing else.");
        }

        // canonicalizeSpec validates the calendars, not the excludes.
        foreach (var calendar in spec.Calendars)
        {
            Validate(calendar);
        }

        // time.LoadLocation("") is UTC.
        _tz = string.IsNullOrEmpty(spec.TimeZoneName) ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb[spec.TimeZoneName];
        _calendars = [.. spec.Calendars.Select(CompiledCalendar.Of)];
        _excludes = [.. spec.Skip.Select(CompiledCalendar.Of)];
        _maxYear = maxYear;
    }

    /// <summary>Every nominal time after <paramref name="after"/> up to and including <paramref name="until"/>, in order.</summary>
    public IReadOnlyList<Instant> Fires(Instant after, Instant until)
    {
        var fires = new List<Instant>();
        for (var next = NextTime(after); next is { } nominal && nominal <= until; next = NextTime(nominal))
        {
            fires.Add(nominal);
        }

        return fires;
    }

    /// <summary><c>getNextTime</c>: the first nominal time after <paramref name="after"/> that no skip calendar matches.</summary>
    public Instant? NextTime(Instant after)
    {
        var cursor = after.ToUnixTimeSeconds();
        while (true)
        {
            var nominal = RawNextTime(cursor);

            // pastEndTime: no EndTime here, but the year of the UTC time is bounded too.
            if (nominal is not { } found || Instant.FromUnixTimeSeconds(found).InUtc().Year > _maxYear)
            {
                return null;
            }

            if (!Excluded(found))
            {
                return Instant.FromUnixTimeSeconds(found);
            }

            cursor = found;
        }
    }

    /// <summary><c>rawNextTime</c>: the earliest <c>next</c> over the calendars, in whole seconds.</summary>
    private long? RawNextTime(long after)
    {
        long? min = null;
        foreach (var calendar in _calendars)
        {
            if (Next(calendar, after) is { } next && (min is null || next < min))
            {
                min = next;
            }
        }

        return min;
    }

    private bool Excluded(long nominal) => _excludes.Exists(exclude => Matches(exclude, nominal));

    /// <summary><c>compiledCalendar.matches</c>: every wall field of the instant in the zone matches.</summary>
    private bool Matches(CompiledCalendar cc, long ts)
    {
        var wall = Wall(ts);
        return cc.Year(wall.Year)
            && cc.Month(wall.Month)
            && cc.DayOfMonth(wall.Day)
            && cc.DayOfWeek(Weekday(wall))
            && cc.Hour(wall.Hour)
            && cc.Minute(wall.Minute)
            && cc.Second(wall.Second);
    }

    /// <summary><c>compiledCalendar.next</c>: the earliest matching time after <paramref name="ts"/>, 1 s resolution.</summary>
    private long? Next(CompiledCalendar cc, long ts)
    {
        var wall = Wall(ts);
        int y = wall.Year, mo = wall.Month, d = wall.Day;
        int h = wall.Hour, m = wall.Minute, s = wall.Second;
        var dstoffset = 0L;
        if (Wall(ts - Hour).Hour == h)
        {
            // we're in the second copy of a dst repeated hour
            dstoffset = Hour;
        }

        // looking for first matching time after ts, so add 1 second
        s++;

        // Every `goto Outer` is Go's `continue Outer`.
    Outer:
        while (true)
        {
            // normalize after carries
            if (s >= 60)
            {
                (m, s) = (m + 1, 0);
            }

            if (m >= 60)
            {
                var prev = Date(y, mo, d, h, 0, 0);
                (h, m) = (h + 1, 0);
                var next = Date(y, mo, d, h, 0, 0);

                // if we moved to the next hour but it's two hours later, then we skipped over
                // a dst repeated hour. try it again with an offset.
                if (dstoffset == 0 && next - prev > Hour)
                {
                    h--;
                    dstoffset = Hour;
                }
                else
                {
                    dstoffset = 0;
                }
            }

            if (h >= 24)
            {
                (d, h) = (d + 1, 0);
            }

            if (d > DaysInMonth(mo, y))
            {
                (mo, d) = (mo + 1, 1);
            }

            if (mo > 12)
            {
                (y, mo) = (y + 1, 1);
            }

            if (y > _maxYear)
            {
                break;
            }

            // try to match year, month, etc. from outside in
            if (!cc.Year(y))
            {
                (y, mo, d, h, m, s) = (y + 1, 1, 1, 0, 0, 0);
                dstoffset = 0;
                goto Outer;
            }

            while (!cc.Month(mo))
            {
                (mo, d, h, m, s) = (mo + 1, 1, 0, 0, 0);
                dstoffset = 0;
                if (mo > 12)
                {
                    goto Outer;
                }
            }

            while (!cc.DayOfMonth(d) || !cc.DayOfWeek(Weekday(Wall(Date(y, mo, d, h, m, s)))))
            {
                (d, h, m, s) = (d + 1, 0, 0, 0);
                dstoffset = 0;
                if (d > DaysInMonth(mo, y))
                {
                    goto Outer;
                }
            }

            while (!cc.Hour(h))
            {
                (h, m, s) = (h + 1, 0, 0);
                dstoffset = 0;
                if (h >= 24)
                {
                    goto Outer;
                }
            }

            while (!cc.Minute(m))
            {
                (m, s) = (m + 1, 0);
                if (m >= 60)
                {
                    goto Outer;
                }
            }

            while (!cc.Second(s))
            {
                s++;
                if (s >= 60)
                {
                    goto Outer;
                }
            }

            // everything matches
            var nextTs = Date(y, mo, d, h, m, s);

            // we might have reached a nonexistent time that got jumped over by a dst transition.
            // we can tell if the hour is different from what we think it should be.
            if (Wall(nextTs).Hour != h)
            {
                (h, m, s) = (h + 1, 0, 0);
                goto Outer;
            }

            return nextTs + dstoffset;
        }

        // no more matching times (up to max we checked)
        return null;
    }

    /// <summary>
    /// Go's <c>time.Date(y, mo, d, h, m, s, 0, tz)</c> as Unix seconds. Fields out of range carry over (the
    /// arithmetic is linear, as Go's <c>norm</c> makes it); the wall clock is first read as UTC and the offset
    /// found at that instant is used, unless the instant it gives falls outside that offset's period, in which
    /// case the offset at that instant is used instead.
    /// </summary>
    private long Date(int y, int mo, int d, int h, int m, int s)
    {
        var (yearCarry, monthIndex) = Math.DivRem(mo - 1, 12);
        if (monthIndex < 0)
        {
            (yearCarry, monthIndex) = (yearCarry - 1, monthIndex + 12);
        }

        var firstOfMonth = new DateOnly(y + yearCarry, monthIndex + 1, 1);
        var unix = ((firstOfMonth.DayNumber - UnixEpochDayNumber + d - 1L) * 86_400) + (h * Hour) + (m * 60L) + s;

        var (offset, start, end) = Lookup(unix);
        if (offset != 0)
        {
            var utc = unix - offset;

            // If utc is valid for the time zone we found, then we have the right offset.
            // If not, we get the correct offset by looking up utc in the location.
            if (utc < start || utc >= end)
            {
                (offset, _, _) = Lookup(utc);
            }

            unix -= offset;
        }

        return unix;
    }

    /// <summary><c>loc.lookup(sec)</c>: the offset in force at the instant and the period <c>[start, end)</c> it holds for.</summary>
    private (long Offset, long Start, long End) Lookup(long unix)
    {
        var interval = _tz.GetZoneInterval(Instant.FromUnixTimeSeconds(unix));
        return (
            interval.WallOffset.Seconds,
            interval.HasStart ? interval.Start.ToUnixTimeSeconds() : long.MinValue,
            interval.HasEnd ? interval.End.ToUnixTimeSeconds() : long.MaxValue);
    }

    /// <summary><c>t.In(tz)</c>: the wall fields of an instant.</summary>
    private LocalDateTime Wall(long unix) => Instant.FromUnixTimeSeconds(unix).InZone(_tz).LocalDateTime;

    /// <summary><c>t.Weekday()</c>: 0 = Sunday … 6 = Saturday.</summary>
    private static int Weekday(LocalDateTime wall) => (int)wall.DayOfWeek % 7;

    /// <summary><c>daysInMonth</c>, which <c>next</c> also asks about month 13 (30 days) before carrying it into the year.</summary>
    private static int DaysInMonth(int month, int year) =>
        month == 2 ? (DateTime.IsLeapYear(year) ? 29 : 28) : 30 + ((0b1010110101010 >> month) & 1);

    /// <summary>The checks of <c>validateStructuredCalendar</c> on ranges: the server rejects a spec that fails them.</summary>
    private static void Validate(ScheduleCalendarSpec calendar)
    {
        Check(calendar.Second, "Second", 0, 59);
        Check(calendar.Minute, "Minute", 0, 59);
        Check(calendar.Hour, "Hour", 0, 23);
        Check(calendar.DayOfMonth, "DayOfMonth", 1, 31);
        Check(calendar.Month, "Month", 1, 12);
        Check(calendar.Year, "Year", MinCalendarYear, MaxCalendarYear);
        Check(calendar.DayOfWeek, "DayOfWeek", 0, 6);

        static void Check(IEnumerable<ScheduleRange> ranges, string field, int min, int max)
        {
            foreach (var r in ranges)
            {
                if (r.Start < min || r.Start > max || (r.End != 0 && (r.End < r.Start || r.End > max)) || r.Step < 0)
                {
                    throw new ArgumentException($"invalid calendar spec: {field} {r} is not in range [{min}-{max}]", nameof(calendar));
                }
            }
        }
    }

    private sealed record CompiledCalendar(
        Func<int, bool> Year,
        Func<int, bool> Month,
        Func<int, bool> DayOfMonth,
        Func<int, bool> DayOfWeek,
        Func<int, bool> Hour,
        Func<int, bool> Minute,
        Func<int, bool> Second)
    {
        public static CompiledCalendar Of(ScheduleCalendarSpec calendar) => new(
            YearMatcher(calendar.Year),
            BitMatcher(calendar.Month),
            BitMatcher(calendar.DayOfMonth),
            BitMatcher(calendar.DayOfWeek),
            BitMatcher(calendar.Hour),
            BitMatcher(calendar.Minute),
            BitMatcher(calendar.Second));

        /// <summary><c>makeBitMatcher</c>: an empty list matches nothing.</summary>
        private static Func<int, bool> BitMatcher(IEnumerable<ScheduleRange> ranges)
        {
            var bits = 0UL;
            IterateRanges(ranges, i => bits |= Bit(i));
            return v => (Bit(v) & bits) != 0;
        }

        /// <summary><c>makeYearMatcher</c>: an empty list is every year.</summary>
        private static Func<int, bool> YearMatcher(IReadOnlyCollection<ScheduleRange> ranges)
        {
            if (ranges.Count == 0)
            {
                return _ => true;
            }

            var values = new List<short>();
            IterateRanges(ranges, i => values.Add(unchecked((short)i)));
            return v => values.Exists(value => value == v);
        }

        /// <summary><c>iterateRanges</c>: step 0 is 1; an end before the start is the start.</summary>
        private static void IterateRanges(IEnumerable<ScheduleRange> ranges, Action<int> add)
        {
            foreach (var r in ranges)
            {
                var (start, end, step) = (r.Start, r.End, r.Step);
                if (step == 0)
                {
                    step = 1;
                }

                if (end < start)
                {
                    end = start;
                }

                if (step < 0)
                {
                    throw new NotSupportedException($"{r}: the server would loop forever on a negative step.");
                }

                for (; start <= end; start += step)
                {
                    add(start);
                }
            }
        }

        // Go's `1 << i` on a uint64 is 0 from 64 on and panics below 0; C# would wrap the shift count.
        private static ulong Bit(int i) => i switch
        {
            < 0 => throw new ArgumentOutOfRangeException(nameof(i), i, "Go panics on a negative shift."),
            < 64 => 1UL << i,
            _ => 0,
        };
    }
}
