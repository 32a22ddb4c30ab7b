namespace Recaps.Workflows.Domain;

/// <summary>Where a schedule stands (a deleted one keeps its status; deletion is its own mark).</summary>
public enum ScheduleStatus
{
    /// <summary>Its occurrences run.</summary>
    Active,

    /// <summary>Paused by its user (<see cref="PauseOwner.User"/>); an operator's pause is kept apart, in Temporal's mirror.</summary>
    Paused,

    /// <summary>A one-time schedule whose only occurrence has run (or was missed); an update makes it active again.</summary>
    Completed,
}

/// <summary>The text of a <see cref="ScheduleStatus"/>, as stored and as the API shows it.</summary>
public static class ScheduleStatusText
{
    private static readonly StateText<ScheduleStatus> Texts = new(ToText);

    public static string ToText(this ScheduleStatus status) => status switch
    {
        ScheduleStatus.Active => "active",
        ScheduleStatus.Paused => "paused",
        ScheduleStatus.Completed => "completed",
        _ => throw StateText<ScheduleStatus>.OutOfRange(status),
    };

    /// <exception cref="UnknownStateTextException">No status has <paramref name="text"/>.</exception>
    public static ScheduleStatus Parse(string text) => Texts.Parse(text);
}
