using System.Security.Cryptography;
using System.Text;
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
/// Where a schedule becomes a Temporal schedule: its occurrences compiled into UTC entries, jitter,
/// the overlap and catch-up policy, and the state. Temporal then starts exactly the occurrences of
/// <see cref="RecurrenceEngine"/>; <see cref="RecapActivities"/> still ends a second start of one
/// occurrence (a trigger, a backfill) as skipped.
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

    /// <summary>The Temporal schedule for <paramref name="schedule"/>, its zone read from <paramref name="zones"/>, compiled at <paramref name="now"/>.</summary>
    public static Schedule Translate(StoredSchedule schedule, TimeZoneData zones, SchedulesOptions options, string taskQueue, Instant now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(options);
        var recurrence = schedule.RecurrenceIn(zones);
        var action = ScheduleActionStartWorkflow.Create(
            (RecapWorkflow workflow) => workflow.RunAsync(new RecapRequest(schedule.Id, null, null)),
            new WorkflowOptions(WorkflowIdPrefix(schedule.Id), taskQueue)
            {
                // The intent in the user's terms beside the compiled spec, and the rules it was compiled with.
                Memo = new Dictionary<string, object>
                {
                    ["userId"] = schedule.UserId,
                    ["title"] = schedule.Intent.Title,
                    ["intent"] = OccurrenceSpecCompiler.Describe(recurrence),
                    ["tzdb"] = zones.Version,
                },
            });

        var pausedByUser = schedule.PausedByUser;
        return new Schedule(action, Spec(recurrence, options, now))
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

    /// <summary>When a spec compiled at <paramref name="now"/> stops firing; null for a one-time schedule's, which fires its one occurrence wherever it falls.</summary>
    public static Instant? SpecUntil(Recurrence recurrence, SchedulesOptions options, Instant now)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        ArgumentNullException.ThrowIfNull(options);
        return recurrence.Recurring ? OccurrenceSpecCompiler.Window(now, options.SpecHorizonYears).End : null;
    }

    /// <summary>
    /// What a written spec was compiled from besides the schedule itself: the tzdb and the settings
    /// that shape the Temporal schedule. When it changes, each spec is compiled again and compared.
    /// </summary>
    public static string Inputs(TimeZoneData zones, SchedulesOptions options, string taskQueue)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(options);
        return $"tzdb {zones.Version}; horizon {options.SpecHorizonYears}; jitter {options.Jitter:c}; catch-up {options.CatchupWindow:c}; queue {taskQueue}";
    }

    /// <summary>
    /// A fingerprint of what the Temporal schedule does (its calendars in order, jitter, policy and the
    /// workflow it starts where): two schedules with the same one fire the same runs, so a new tzdb or
    /// setting that leaves it unchanged needs no rewrite.
    /// </summary>
    public static string SpecHash(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var action = (ScheduleActionStartWorkflow)schedule.Action;
        var text = new StringBuilder($"{schedule.Spec.Jitter:c} {schedule.Policy.Overlap} {schedule.Policy.CatchupWindow:c} {action.Options.TaskQueue} {action.Options.Id}\n");
        foreach (var c in schedule.Spec.Calendars)
        {
            foreach (var field in (IReadOnlyCollection<ScheduleRange>[])[c.Year, c.Month, c.DayOfMonth, c.DayOfWeek, c.Hour, c.Minute, c.Second])
            {
                text.AppendJoin(',', field.Select(r => $"{r.Start}-{r.End}/{r.Step}")).Append(';');
            }

            text.Append(c.Comment).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The spec: the occurrences of the recurrence over the horizon compiled into UTC entries
    /// (<see cref="OccurrenceSpecCompiler"/>), so the server fires the instants the preview shows.
    /// </summary>
    public static ScheduleSpec Spec(Recurrence recurrence, SchedulesOptions options, Instant now)
    {
        ArgumentNullException.ThrowIfNull(recurrence);
        ArgumentNullException.ThrowIfNull(options);
        return new ScheduleSpec
        {
            Calendars = OccurrenceSpecCompiler.Compile(recurrence, OccurrenceSpecCompiler.Window(now, options.SpecHorizonYears)),
            TimeZoneName = "UTC",
            Jitter = options.Jitter,
        };
    }
}
