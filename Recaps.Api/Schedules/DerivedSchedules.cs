using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Temporal;

namespace Recaps.Api.Schedules;

/// <summary>
/// What a response derives from a schedule's timetable: the Temporal schedule and the next runs.
/// Both depend only on the timetable (zone, days, time, one-time anchor), the zone's current date
/// and, for the runs, which have passed; not on whose schedule it is. Many schedules share a
/// timetable (weekdays 09:00 in a handful of zones), so they are computed once per timetable and
/// reused until the date changes or the first run passes; a list of 20 schedules then costs 20
/// lookups instead of 20 spec translations.
/// </summary>
public sealed class DerivedSchedules(TimeZoneData zones, IOptions<RecapsOptions> recaps, IOptions<TemporalOptions> temporal, IMemoryCache cache)
{
    public const int NextRunCount = 5;

    /// <summary>The Temporal schedule as the sync will write it, for <paramref name="schedule"/>.</summary>
    public TemporalScheduleView Temporal(StoredSchedule schedule, Instant now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var recurrence = schedule.RecurrenceIn(zones);
        // The spec's window turns with the UTC year, the runs with the zone's date.
        var key = (nameof(Temporal), Timetable(recurrence), now.InZone(recurrence.Zone).Date, now.InUtc().Year);
        var shared = cache.GetOrCreate(key, entry =>
        {
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromDays(1);
            var options = recaps.Value.Schedules;
            return TemporalScheduleView.From("", TemporalScheduleSpecTranslator.Translate(schedule, zones, options, temporal.Value.TaskQueue, now)) with
            {
                Tzdb = zones.Version,
                SpecUntil = TemporalScheduleSpecTranslator.SpecUntil(recurrence, options, now)?.ToDateTimeUtc(),
            };
        })!;
        return shared with
        {
            ScheduleId = TemporalScheduleSpecTranslator.ScheduleId(schedule.Id),
            WorkflowIdPrefix = TemporalScheduleSpecTranslator.WorkflowIdPrefix(schedule.Id),
        };
    }

    /// <summary>The next <see cref="NextRunCount"/> occurrences after <paramref name="now"/>, those on <paramref name="skipDates"/> marked skipped.</summary>
    public IReadOnlyList<NextRunResponse> NextRuns(Recurrence recurrence, SkipDateSet skipDates, Instant now)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        // The occurrences are the timetable's, shared; the skip dates are the schedule's own.
        var key = (nameof(NextRuns), Timetable(recurrence));
        if (!cache.TryGetValue(key, out IReadOnlyList<Occurrence>? occurrences) || occurrences is not [{ } first, ..] || first.At <= now)
        {
            // Valid until its first run passes; an empty list (a one-time run that is over) stays empty.
            occurrences = cache.Set(
                key, RecurrenceEngine.Next(recurrence, now, NextRunCount), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromDays(1) });
        }

        return Responses(occurrences, skipDates);
    }

    public static IReadOnlyList<NextRunResponse> Next(Recurrence recurrence, SkipDateSet skipDates, Instant after, int count) =>
        Responses(RecurrenceEngine.Next(recurrence, after, count), skipDates);

    private static IReadOnlyList<NextRunResponse> Responses(IEnumerable<Occurrence> occurrences, SkipDateSet skipDates) =>
        [.. occurrences.Select(o => new NextRunResponse(
            o.At.ToDateTimeUtc(), o.Local.ToDateTimeOffset(), o.Note, skipDates.Contains(o.Date), skipDates.Contains(o.Date) ? SkipDateSet.Reason(o.Date) : null))];

    /// <summary>What the derived values depend on: a one-time schedule's anchor only matters when it is one-time.</summary>
    private static (string Zone, byte Days, LocalTime Time, bool Recurring, Instant Anchor) Timetable(Recurrence recurrence) =>
        (recurrence.Zone.Id, recurrence.Days.Bits, recurrence.Time, recurrence.Recurring, recurrence.Recurring ? default : recurrence.Anchor);
}
