using System.Xml;
using Temporalio.Client.Schedules;

namespace Recaps.Workflows.Temporal;

public sealed record ScheduleRangeView(int Start, int End, int Step);

public sealed record CalendarView(
    IReadOnlyList<ScheduleRangeView> Year,
    IReadOnlyList<ScheduleRangeView> Month,
    IReadOnlyList<ScheduleRangeView> DayOfMonth,
    IReadOnlyList<ScheduleRangeView> DayOfWeek,
    IReadOnlyList<ScheduleRangeView> Hour,
    IReadOnlyList<ScheduleRangeView> Minute,
    string? Comment);

public sealed record SpecView(string? TimeZoneName, string? Jitter, IReadOnlyList<CalendarView> Calendars);

public sealed record PolicyView(string Overlap, string? CatchupWindow);

/// <summary>
/// The <c>temporal</c> field of a schedule response: the Temporal schedule as the translator built it,
/// field for field (an empty range list means "any"; durations are ISO 8601).
/// </summary>
public sealed record TemporalScheduleView(
    string ScheduleId,
    string WorkflowIdPrefix,
    SpecView Spec,
    PolicyView Policy,
    bool LimitedActions,
    long RemainingActions)
{
    public static TemporalScheduleView From(string scheduleId, Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var action = (ScheduleActionStartWorkflow)schedule.Action;
        return new(
            scheduleId,
            action.Options.Id ?? "",
            new SpecView(
                schedule.Spec.TimeZoneName,
                Iso(schedule.Spec.Jitter),
                [.. schedule.Spec.Calendars.Select(c => new CalendarView(
                    Ranges(c.Year), Ranges(c.Month), Ranges(c.DayOfMonth), Ranges(c.DayOfWeek), Ranges(c.Hour), Ranges(c.Minute), c.Comment))]),
            new PolicyView(schedule.Policy.Overlap.ToString(), Iso(schedule.Policy.CatchupWindow)),
            schedule.State.LimitedActions,
            schedule.State.RemainingActions);
    }

    private static List<ScheduleRangeView> Ranges(IReadOnlyCollection<ScheduleRange> ranges) =>
        [.. ranges.Select(r => new ScheduleRangeView(r.Start, r.End, r.Step))];

    private static string? Iso(TimeSpan? duration) => duration is { } value ? XmlConvert.ToString(value) : null;
}
