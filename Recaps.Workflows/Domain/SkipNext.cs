using NodaTime;

namespace Recaps.Workflows.Domain;

/// <summary>What skipping a schedule's next run decided: its new skip dates, or why it cannot be skipped.</summary>
public sealed record SkipNextDecision(SkipDateSet Dates, string? Refusal);

/// <summary>
/// <c>skip-next</c>: the date of the schedule's next occurrence that would run joins its skip dates.
/// Each call skips one more (a second call skips the run after); a run-now is not an occurrence of
/// the timetable and is never skipped. Only an active recurring schedule has a next run to skip.
/// </summary>
public static class SkipNext
{
    public static SkipNextDecision Decide(ScheduleIntent intent, ScheduleStatus status, bool operatorPaused, Recurrence recurrence, Instant now)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(recurrence);
        var dates = intent.SkipDates.Current(now, recurrence.Zone);
        var refusal = (status, intent.Recurring, operatorPaused) switch
        {
            (ScheduleStatus.Completed, _, _) => "The one-time schedule has run; it has no next run to skip.",
            (_, false, _) => "A one-time schedule runs once; pause or delete it instead of skipping its run.",
            (ScheduleStatus.Paused, _, _) => "The schedule is paused, so it has no next run to skip; resume it first, or list the date in skipDates.",
            (_, _, true) => "The schedule is paused by an operator, so it has no next run to skip; list the date in skipDates instead.",
            _ when dates.Count >= SkipDateSet.MaxCount =>
                $"skipDates already holds {SkipDateSet.MaxCount} dates to come, the most a schedule keeps; remove one first.",
            _ => null,
        };
        if (refusal is not null)
        {
            return new(intent.SkipDates, refusal);
        }

        // At most one occurrence per listed date is passed over, so this ends.
        var next = RecurrenceEngine.Next(recurrence, now) ?? throw new InvalidOperationException("A recurring timetable always has a next occurrence.");
        while (dates.Contains(next.Date))
        {
            next = RecurrenceEngine.Next(recurrence, next.At)!.Value;
        }

        return new(dates.With(next.Date), null);
    }
}
