using NodaTime;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Temporal;

namespace Recaps.Workflows.Sync;

/// <summary>What a written spec needs: nothing, a new stamp (a new tzdb that changes none of its instants), or a rewrite.</summary>
public enum SpecAction
{
    None,
    Restamp,
    Rewrite,
}

/// <summary>
/// The reconciler's rules for compiled specs: when one is rolled forward or recompiled, when its
/// refresh is overdue, and where the server's reading of it differs from the preview.
/// </summary>
public static class SpecChecks
{
    /// <summary>
    /// A recurring schedule's spec is rewritten once the year it was compiled in is over (so it always
    /// reaches <see cref="SchedulesOptions.SpecHorizonYears"/> ahead). When the tzdb or a setting it
    /// was compiled from changed, it is compiled again: rewritten when that changes what it fires, else
    /// only restamped. A one-time schedule whose run is behind it is only restamped.
    /// </summary>
    /// <param name="schedule"></param>
    /// <param name="zones"></param>
    /// <param name="options"></param>
    /// <param name="taskQueue"></param>
    /// <param name="inputs">What a spec compiled now is compiled from (<see cref="TemporalScheduleSpecTranslator.Inputs"/>), the same for every schedule of a pass.</param>
    /// <param name="now"></param>
    public static SpecAction Needed(StoredSchedule schedule, TimeZoneData zones, SchedulesOptions options, string taskQueue, string inputs, Instant now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(options);
        var written = schedule.Sync.Spec;
        var recurrence = schedule.RecurrenceIn(zones);
        if (recurrence.Recurring && (written?.Until is not { } until || until < OccurrenceSpecCompiler.Window(now, options.SpecHorizonYears).End))
        {
            return SpecAction.Rewrite;
        }

        if (written?.Inputs == inputs)
        {
            return SpecAction.None;
        }

        if (!recurrence.Recurring && RecurrenceEngine.Next(recurrence, now) is null)
        {
            return written is null ? SpecAction.None : SpecAction.Restamp;
        }

        var recompiled = TemporalScheduleSpecTranslator.Translate(schedule, zones, options, taskQueue, now);
        return TemporalScheduleSpecTranslator.SpecHash(recompiled) == written?.Hash ? SpecAction.Restamp : SpecAction.Rewrite;
    }

    /// <summary>
    /// True when a recurring schedule's spec should have been rolled forward more than
    /// <paramref name="grace"/> ago and was not: it still fires for years, but something keeps the
    /// refresh from happening, and the operator should know long before it stops.
    /// </summary>
    public static bool Overdue(StoredSchedule schedule, SchedulesOptions options, Duration grace, Instant now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(options);
        return schedule.Intent.Recurring && schedule.Sync.Spec?.Until is { } until
            && until < OccurrenceSpecCompiler.Window(now - grace, options.SpecHorizonYears).End;
    }

    /// <summary>
    /// The first place where the times the server lists in <paramref name="range"/> (each up to
    /// <paramref name="jitter"/> after its nominal time) differ from the preview's
    /// <paramref name="expected"/> occurrences; null when they agree. An occurrence whose jittered time
    /// may fall past the range is not missed when it is not listed.
    /// </summary>
    public static (Instant At, Instant? Expected, Instant? Listed)? FirstDifference(
        IReadOnlyList<Instant> expected, IReadOnlyList<Instant> listed, Interval range, Duration jitter)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(listed);
        var wanted = expected.Where(e => e >= range.Start - jitter && e <= range.End).Order().ToList();
        var fired = listed.Order().ToList();
        var (w, f) = (0, 0);
        while (w < wanted.Count || f < fired.Count)
        {
            if (w < wanted.Count && f < fired.Count && fired[f] >= wanted[w] && fired[f] - wanted[w] <= jitter)
            {
                (w, f) = (w + 1, f + 1);
            }
            else if (f == fired.Count || (w < wanted.Count && wanted[w] < fired[f]))
            {
                // Due at or before the range's start (the server lists times after it) or possibly listed
                // after its end: not a difference.
                if (wanted[w] > range.Start && wanted[w] + jitter <= range.End)
                {
                    return (wanted[w], wanted[w], f < fired.Count ? fired[f] : null);
                }

                w++;
            }
            else
            {
                return (fired[f], null, fired[f]);
            }
        }

        return null;
    }
}
