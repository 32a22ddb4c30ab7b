using System.Xml;
using Temporalio.Client.Schedules;

namespace Recaps.Api.Schedules;

public sealed record ScheduleRangeView(int Start, int End, int Step);

public sealed record CalendarView(
    IReadOnlyList<ScheduleRangeView> Year,
    IReadOnlyList<ScheduleRangeView> Month,
    IReadOnlyList<ScheduleRangeView> DayOfMonth,
    IReadOnlyList<ScheduleRangeView> DayOfWeek,
    IReadOnlyList<ScheduleRangeView> Hour,
    IReadOnlyList<ScheduleRangeView> Minute,
    IReadOnlyList<ScheduleRangeView> Second,
    string? Comment);

/// <summary>The spec: calendar entries read in <see cref="TimeZoneName"/> (UTC), each with a comment in the user's terms.</summary>
public sealed record SpecView(string? TimeZoneName, string? Jitter, IReadOnlyList<CalendarView> Calendars);

public sealed record PolicyView(string Overlap, string? CatchupWindow);

/// <summary>
/// The <c>temporal</c> field of a schedule response: the Temporal schedule as the translator built it,
/// field for field. Ranges are as the SDK holds them: fields left at Temporal's default show the
/// default's full range, and only an empty year list means "any". Durations are ISO 8601.
/// </summary>
public sealed record TemporalScheduleView(
    string ScheduleId,
    string WorkflowIdPrefix,
    SpecView Spec,
    PolicyView Policy,
    bool LimitedActions,
    long RemainingActions)
{
    /// <summary>The tzdb release the spec was compiled with.</summary>
    public string? Tzdb { get; init; }

    /// <summary>When the compiled spec stops firing (the reconciler rolls it forward every new year); null for a one-time schedule.</summary>
    public DateTime? SpecUntil { get; init; }

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
                [.. schedule.Spec.Calendars.Select(Calendar)]),
            new PolicyView(schedule.Policy.Overlap.ToString(), Iso(schedule.Policy.CatchupWindow)),
            schedule.State.LimitedActions,
            schedule.State.RemainingActions);
    }

    private static CalendarView Calendar(ScheduleCalendarSpec c) =>
        new(Ranges(c.Year), Ranges(c.Month), Ranges(c.DayOfMonth), Ranges(c.DayOfWeek), Ranges(c.Hour), Ranges(c.Minute), Ranges(c.Second), c.Comment);

    private static List<ScheduleRangeView> Ranges(IReadOnlyCollection<ScheduleRange> ranges) =>
        [.. ranges.Select(r => new ScheduleRangeView(r.Start, r.End, r.Step))];

    private static string? Iso(TimeSpan? duration) => duration is { } value ? XmlConvert.ToString(value) : null;
}
