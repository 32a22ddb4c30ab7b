using NodaTime;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;

namespace Recaps.Workflows.Temporal;

/// <summary>
/// Where a schedule becomes a Temporal schedule: a weekly calendar in the user's zone, the entries
/// that correct Temporal's handling of DST days (<see cref="DstSpecEntries"/>), jitter, the overlap
/// and catch-up policy, and the state. With <see cref="RecapActivities"/> dropping the second fire
/// of a doubled hour, Temporal then starts exactly the occurrences of <see cref="RecurrenceEngine"/>.
/// </summary>
public static class TemporalScheduleSpecTranslator
{
    public const string ScheduleIdPrefix = "recap-schedule-";

    /// <summary>The Temporal note of a schedule paused by its user; a pause without it is an operator's.</summary>
    public const string UserPauseNotePrefix = "recaps:user:";

    public const string ManagedNote = "recaps: managed by the Recaps API";

    public static string ScheduleId(Guid scheduleId) => $"{ScheduleIdPrefix}{scheduleId}";

    /// <summary>The note of a pause the user made, with their reason when they gave one.</summary>
    public static string UserPauseNote(string? reason) => $"{UserPauseNotePrefix} {reason}".TrimEnd();

    /// <summary>Temporal appends <c>-{nominal time}</c> to this for every scheduled start.</summary>
    public static string WorkflowIdPrefix(Guid scheduleId) => $"recap-{scheduleId}";

    public static string RunNowWorkflowId(Guid scheduleId, Guid runId) => $"recap-{scheduleId}-run-{runId}";

    public static Schedule Translate(StoredSchedule schedule, SchedulesOptions options, string taskQueue, Instant now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(options);
        var recurrence = schedule.Recurrence;
        var action = ScheduleActionStartWorkflow.Create(
            (RecapWorkflow workflow) => workflow.RunAsync(new RecapRequest(schedule.Id, null, null)),
            new WorkflowOptions(WorkflowIdPrefix(schedule.Id), taskQueue)
            {
                Memo = new Dictionary<string, object> { ["userId"] = schedule.UserId, ["title"] = schedule.Intent.Title },
            });

        var pausedByUser = schedule.PausedByUser;
        return new Schedule(action, Spec(recurrence, schedule.Intent.TimeZoneId, options, now))
        {
            Policy = new SchedulePolicy
            {
                Overlap = ScheduleOverlapPolicy.Skip,
                CatchupWindow = options.CatchupWindow,
                PauseOnFailure = false,
            },
            State = new ScheduleState
            {
                Paused = pausedByUser,
                Note = pausedByUser ? UserPauseNote(schedule.PauseReason) : ManagedNote,
                LimitedActions = !recurrence.Recurring,
                RemainingActions = recurrence.Recurring ? 0 : 1,
            },
        };
    }

    /// <summary>
    /// The spec: one weekly calendar plus, from <paramref name="now"/> over the horizon, the entries
    /// that make Temporal fire the policy's instant on DST days (<see cref="DstSpecEntries"/>).
    /// A one-time recurrence is one pinned entry.
    /// </summary>
    public static ScheduleSpec Spec(Recurrence recurrence, string timeZoneId, SchedulesOptions options, Instant now)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        ArgumentNullException.ThrowIfNull(options);
        var entries = new DstSpecEntries();
        var calendars = new List<ScheduleCalendarSpec>();
        if (!recurrence.Recurring)
        {
            if (RecurrenceEngine.Next(recurrence, recurrence.Anchor) is { } only)
            {
                entries.AddOnce(recurrence, only);
            }
        }
        else
        {
            calendars.Add(new ScheduleCalendarSpec
            {
                DayOfWeek = DayOfWeekRanges(recurrence.Days),
                Hour = [new(recurrence.Time.Hour)],
                Minute = [new(recurrence.Time.Minute)],
                Comment = $"{string.Join(", ", recurrence.Days.Days.Select(WeekdaySet.NameOf))} at {recurrence.Time:HH':'mm}",
            });
            var today = now.InZone(recurrence.Zone).Date;
            entries.AddWeekly(recurrence, today, today.PlusYears(options.DstHorizonYears));
        }

        return new ScheduleSpec
        {
            Calendars = [.. calendars, .. entries.Calendars],
            Skip = entries.Skip,
            TimeZoneName = timeZoneId,
            Jitter = options.Jitter,
        };
    }

    /// <summary>Temporal counts days 0 = Sunday … 6 = Saturday; runs of consecutive days become one range.</summary>
    private static List<ScheduleRange> DayOfWeekRanges(WeekdaySet days)
    {
        var numbers = days.Days.Select(d => d == IsoDayOfWeek.Sunday ? 0 : (int)d).Order().ToList();
        var ranges = new List<ScheduleRange>();
        foreach (var day in numbers)
        {
            if (ranges.Count > 0 && ranges[^1].End == day - 1)
            {
                ranges[^1] = new ScheduleRange(ranges[^1].Start, day);
            }
            else
            {
                ranges.Add(new ScheduleRange(day));
            }
        }

        return ranges;
    }
}
