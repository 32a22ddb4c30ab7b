using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Recaps.Workflows.Domain;
using Temporalio.Client.Schedules;

namespace Recaps.Workflows.Temporal;

/// <summary>
/// Compiles a recurrence into Temporal calendar entries read in UTC, from the occurrences of
/// <see cref="RecurrenceEngine"/> itself. The server then needs neither its own zone rules nor its DST
/// handling (it skips nonexistent wall times, fires doubled ones twice and reads a date's weekday at
/// its midnight): it fires the instants the user was shown, whatever tz data its machine has.
/// </summary>
/// <remarks>
/// Consecutive occurrences with the same UTC time of day, the same local→UTC date shift and the same
/// offset form a period: a range of UTC dates, the recurrence's weekdays shifted to UTC dates, and the
/// time. A period's range may take in the days around it that match none of the recurrence's weekdays,
/// so a change falling near a month's end leaves that month whole. Whole months of alike periods are
/// covered by year range × month range entries (the winters and summers of ten years are a few
/// entries); the months a change cuts are one entry per side, with their day range. Entries may
/// overlap on days no weekday of theirs matches: Temporal fires the union of its calendars.
/// </remarks>
public static class OccurrenceSpecCompiler
{
    private static readonly OffsetPattern OffsetFormat = OffsetPattern.CreateWithInvariantCulture("+HH:mm");

    /// <summary>The window a spec compiled at <paramref name="now"/> covers: from New Year (UTC) of that year, then <paramref name="years"/> whole years more.</summary>
    /// <remarks>Starting at New Year keeps the spec the same all year, so it is rewritten once a year, not every day.</remarks>
    public static Interval Window(Instant now, int years)
    {
        var year = now.InUtc().Year;
        return new(Instant.FromUtc(year, 1, 1, 0, 0), Instant.FromUtc(year + years + 1, 1, 1, 0, 0));
    }

    /// <summary>The entries that fire exactly the occurrences of <paramref name="recurrence"/> in <paramref name="window"/>; a one-time recurrence's one occurrence wherever it falls.</summary>
    public static IReadOnlyList<ScheduleCalendarSpec> Compile(Recurrence recurrence, Interval window)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        if (!recurrence.Recurring)
        {
            return RecurrenceEngine.Next(recurrence, recurrence.Anchor) is { } only ? [Once(recurrence, only)] : [];
        }

        var partMonths = new List<Rectangle>();
        var wholeMonths = new Dictionary<Rectangle, SortedSet<YearMonth>>();
        foreach (var period in Periods(recurrence, window))
        {
            var shape = new Rectangle(0, 0, 0, 0, 1, 31, period.Key.UtcWeekdays, period.Key.UtcTime, period.Comment);
            for (var month = period.First.ToYearMonth(); month <= period.Last.ToYearMonth(); month = month.PlusMonths(1))
            {
                var (from, to) = (Max(period.First, month.OnDayOfMonth(1)), Min(period.Last, month.OnDayOfMonth(month.Calendar.GetDaysInMonth(month.Year, month.Month))));
                if (from.Day == 1 && to == to.With(DateAdjusters.EndOfMonth))
                {
                    wholeMonths.TryAdd(shape, []);
                    wholeMonths[shape].Add(month);
                }
                else
                {
                    partMonths.Add(shape with
                    {
                        FirstYear = month.Year,
                        LastYear = month.Year,
                        FirstMonth = month.Month,
                        LastMonth = month.Month,
                        FirstDay = from.Day,
                        LastDay = to == to.With(DateAdjusters.EndOfMonth) ? 31 : to.Day,
                    });
                }
            }
        }

        return [.. wholeMonths.SelectMany(w => Cover(w.Key, w.Value)).Concat(MergeYears(partMonths))
            .OrderBy(r => (r.FirstYear, r.FirstMonth, r.FirstDay))
            .Select(Calendar)];
    }

    /// <summary>
    /// Consecutive occurrences alike in UTC, each period's dates stretched over the days between it and
    /// its neighbours that match no weekday of the recurrence, split at a month's start when there is one.
    /// </summary>
    private static List<OccurrencePeriod> Periods(Recurrence recurrence, Interval window)
    {
        var periods = new List<OccurrencePeriod>();
        // An offset is under a day, so an occurrence's UTC date is its local date or one either side.
        byte[] shifted = [UtcWeekdays(recurrence.Days, -1), UtcWeekdays(recurrence.Days, 0), UtcWeekdays(recurrence.Days, 1)];
        var date = window.Start.InZone(recurrence.Zone).Date.PlusDays(-1);
        var lastDate = window.End.InZone(recurrence.Zone).Date;
        for (; date <= lastDate; date = date.PlusDays(1))
        {
            if (!recurrence.Days.Contains(date.DayOfWeek))
            {
                continue;
            }

            var occurrence = RecurrenceEngine.On(recurrence, date);
            if (!window.Contains(occurrence.At))
            {
                continue;
            }

            var utc = occurrence.At.InUtc();
            var dayShift = utc.Date.ToDateOnly().DayNumber - date.ToDateOnly().DayNumber;
            var key = new PeriodKey(
                utc.TimeOfDay,
                shifted[dayShift + 1],
                occurrence.Local.Offset,
                // The comment names the zone's abbreviation: a change of name alone (PDT → MST) starts a new period.
                occurrence.Local.GetZoneInterval().Name,
                occurrence.Shift,
                // A moved occurrence gets an entry of its own, whose comment says why.
                occurrence.Shift == OccurrenceShift.None ? null : date);
            if (periods.Count > 0 && periods[^1].Key == key)
            {
                periods[^1] = periods[^1] with { LastLocal = date, Last = utc.Date };
            }
            else
            {
                periods.Add(new OccurrencePeriod(key, dayShift, date, date, Comment(recurrence, occurrence)) { First = utc.Date, Last = utc.Date });
            }
        }

        // A UTC date in a stretched range whose weekday matches is, DayShift days back, a matching
        // local date: one of the period's own, as the neighbours' matching dates are outside the range.
        var (windowFirst, windowLast) = (window.Start.InUtc().Date, (window.End - Duration.Epsilon).InUtc().Date);
        for (var i = 0; i < periods.Count; i++)
        {
            var period = periods[i];
            if (i == 0)
            {
                periods[i] = period with { First = Max(windowFirst, Previous(recurrence.Days, period.FirstLocal).PlusDays(1 + period.DayShift)) };
            }

            if (i == periods.Count - 1)
            {
                periods[i] = periods[i] with { Last = Min(windowLast, Next(recurrence.Days, period.LastLocal).PlusDays(-1 + period.DayShift)) };
                continue;
            }

            // The boundary with the next period: the next starts on a day from `earliest` to `latest`.
            var next = periods[i + 1];
            var earliest = Max(period.Last.PlusDays(1), Previous(recurrence.Days, next.FirstLocal).PlusDays(1 + next.DayShift));
            var latest = Min(next.First, Next(recurrence.Days, period.LastLocal).PlusDays(period.DayShift));
            if (earliest <= latest)
            {
                var monthStart = latest.With(DateAdjusters.StartOfMonth);
                var start = monthStart >= earliest ? monthStart : latest;
                periods[i] = periods[i] with { Last = start.PlusDays(-1) };
                periods[i + 1] = next with { First = start };
            }
        }

        return periods;
    }

    private static LocalDate Previous(WeekdaySet days, LocalDate date)
    {
        do
        {
            date = date.PlusDays(-1);
        }
        while (!days.Contains(date.DayOfWeek));
        return date;
    }

    private static LocalDate Next(WeekdaySet days, LocalDate date)
    {
        do
        {
            date = date.PlusDays(1);
        }
        while (!days.Contains(date.DayOfWeek));
        return date;
    }

    private static LocalDate Max(LocalDate a, LocalDate b) => a > b ? a : b;

    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;

    /// <summary>
    /// Whole months of one shape as few rectangles: each calendar month's runs of consecutive years,
    /// then neighbouring months with the same run of years joined (Apr–Oct of 2026–2036).
    /// </summary>
    private static List<Rectangle> Cover(Rectangle shape, SortedSet<YearMonth> months)
    {
        var runs = new List<(int FirstYear, int LastYear, int Month)>();
        for (var month = 1; month <= 12; month++)
        {
            foreach (var year in months.Where(m => m.Month == month).Select(m => m.Year))
            {
                if (runs.Count > 0 && runs[^1].Month == month && runs[^1].LastYear == year - 1)
                {
                    runs[^1] = runs[^1] with { LastYear = year };
                }
                else
                {
                    runs.Add((year, year, month));
                }
            }
        }

        var rectangles = new List<Rectangle>();
        foreach (var run in runs.OrderBy(r => (r.FirstYear, r.LastYear, r.Month)))
        {
            if (rectangles.Count > 0 && rectangles[^1] is var last
                && (last.FirstYear, last.LastYear) == (run.FirstYear, run.LastYear) && last.LastMonth == run.Month - 1)
            {
                rectangles[^1] = last with { LastMonth = run.Month };
            }
            else
            {
                rectangles.Add(shape with { FirstYear = run.FirstYear, LastYear = run.LastYear, FirstMonth = run.Month, LastMonth = run.Month });
            }
        }

        return rectangles;
    }

    /// <summary>Part-month rectangles alike but for adjacent years become one (a change on the same date every year).</summary>
    private static List<Rectangle> MergeYears(List<Rectangle> rectangles)
    {
        var merged = new List<Rectangle>();
        var byShape = new Dictionary<Rectangle, int>();
        foreach (var rectangle in rectangles)
        {
            var shape = rectangle with { FirstYear = 0, LastYear = 0 };
            if (byShape.TryGetValue(shape, out var index) && merged[index].LastYear + 1 == rectangle.FirstYear)
            {
                merged[index] = merged[index] with { LastYear = rectangle.LastYear };
                continue;
            }

            byShape[shape] = merged.Count;
            merged.Add(rectangle);
        }

        return merged;
    }

    private static ScheduleCalendarSpec Once(Recurrence recurrence, Occurrence occurrence)
    {
        var utc = occurrence.At.InUtc();
        var weekday = Bit(utc.DayOfWeek);
        return Calendar(new(
            utc.Year, utc.Year, utc.Month, utc.Month, utc.Day, utc.Day, weekday, utc.TimeOfDay, $"once: {Comment(recurrence, occurrence)}"));
    }

    private static ScheduleCalendarSpec Calendar(Rectangle r) => new()
    {
        Year = [Range(r.FirstYear, r.LastYear)],
        Month = [Range(r.FirstMonth, r.LastMonth)],
        DayOfMonth = [Range(r.FirstDay, r.LastDay)],
        DayOfWeek = DayOfWeekRanges(r.Weekdays),
        Hour = [new(r.UtcTime.Hour)],
        Minute = [new(r.UtcTime.Minute)],
        Second = [new(r.UtcTime.Second)],
        Comment = r.Comment,
    };

    private static ScheduleRange Range(int start, int end) => start == end ? new(start) : new(start, end);

    /// <summary>Temporal counts days 0 = Sunday … 6 = Saturday; runs of consecutive days become one range.</summary>
    private static List<ScheduleRange> DayOfWeekRanges(byte weekdays)
    {
        var ranges = new List<ScheduleRange>();
        for (var day = 0; day < 7; day++)
        {
            if ((weekdays & (1 << day)) == 0)
            {
                continue;
            }

            if (ranges.Count > 0 && ranges[^1].End == day - 1)
            {
                ranges[^1] = new ScheduleRange(ranges[^1].Start, day);
            }
            else
            {
                ranges.Add(new ScheduleRange(day, day));
            }
        }

        return [.. ranges.Select(r => Range(r.Start, r.End))];
    }

    /// <summary>Temporal's bit for a weekday: 0 = Sunday … 6 = Saturday.</summary>
    private static byte Bit(IsoDayOfWeek day) => (byte)(1 << ((int)day % 7));

    /// <summary>The intent in the user's terms: "Mon-Fri 09:00 America/New_York", with "once" for a one-time one.</summary>
    public static string Describe(Recurrence recurrence)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        return recurrence.Recurring ? Timetable(recurrence) : $"once, {Timetable(recurrence)}";
    }

    private static string Timetable(Recurrence recurrence) => $"{ShortDays(recurrence.Days)} {recurrence.Time:HH':'mm} {recurrence.Zone.Id}";

    /// <summary>What a period means in the user's terms: their days, time and zone, and the zone's offset then.</summary>
    private static string Comment(Recurrence recurrence, Occurrence occurrence)
    {
        var local = occurrence.Local;
        var zone = Timetable(recurrence);
        var offset = $"{local.GetZoneInterval().Name}, UTC{OffsetFormat.Format(local.Offset)}";
        var date = occurrence.Date.ToString("uuuu'-'MM'-'dd", CultureInfo.InvariantCulture);
        return occurrence.Shift switch
        {
            OccurrenceShift.ForwardOverGap => $"{zone}: {date} has no {recurrence.Time:HH':'mm} (clocks go forward), runs at {local.TimeOfDay:HH':'mm} {offset}",
            OccurrenceShift.EarlierOfTwo => $"{zone}: {recurrence.Time:HH':'mm} happens twice on {date} (clocks go back), runs at the first, {offset}",
            _ when !recurrence.Recurring => $"{zone}, {date}, {offset}",
            _ => $"{zone}, {offset}",
        };
    }

    /// <summary>"daily", "Mon-Fri", "Tue, Thu, Sun": three or more days in a row as a range.</summary>
    private static string ShortDays(WeekdaySet days)
    {
        if (days.Bits == WeekdaySet.Of(WeekdaySet.Week).Bits)
        {
            return "daily";
        }

        var runs = new List<List<IsoDayOfWeek>>();
        foreach (var day in days.Days)
        {
            if (runs.Count > 0 && runs[^1][^1] == day - 1)
            {
                runs[^1].Add(day);
            }
            else
            {
                runs.Add([day]);
            }
        }

        return string.Join(", ", runs.Select(run => run.Count >= 3
            ? $"{ShortName(run[0])}-{ShortName(run[^1])}"
            : string.Join(", ", run.Select(ShortName))));
    }

    private static string ShortName(IsoDayOfWeek day) => day.ToString()[..3];

    /// <summary>The weekdays of the UTC dates of local dates on <paramref name="days"/>, <paramref name="dayShift"/> days on.</summary>
    private static byte UtcWeekdays(WeekdaySet days, int dayShift)
    {
        byte bits = 0;
        foreach (var day in days.Days)
        {
            bits |= Bit((IsoDayOfWeek)((((int)day - 1 + dayShift + 7) % 7) + 1));
        }

        return bits;
    }

    /// <summary>What makes consecutive occurrences one period (a moved occurrence's date makes it a period of its own).</summary>
    private readonly record struct PeriodKey(LocalTime UtcTime, byte UtcWeekdays, Offset Offset, string Abbreviation, OccurrenceShift Shift, LocalDate? MovedDate);

    /// <summary>Occurrences on local dates <see cref="FirstLocal"/>…<see cref="LastLocal"/>, fired by an entry for UTC dates <see cref="First"/>…<see cref="Last"/>.</summary>
    private readonly record struct OccurrencePeriod(PeriodKey Key, int DayShift, LocalDate FirstLocal, LocalDate LastLocal, string Comment)
    {
        public LocalDate First { get; init; }

        public LocalDate Last { get; init; }
    }

    private sealed record Rectangle(
        int FirstYear, int LastYear, int FirstMonth, int LastMonth, int FirstDay, int LastDay, byte Weekdays, LocalTime UtcTime, string Comment);
}
