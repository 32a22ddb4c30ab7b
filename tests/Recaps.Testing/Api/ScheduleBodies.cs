namespace Recaps.Tests.Api;

/// <summary>Create bodies as a client sends them.</summary>
internal static class ScheduleBodies
{
    /// <summary>The REST API's example body (weekdays 09:00, America/New_York), with channels the test has created for the user.</summary>
    public static Dictionary<string, object?> Weekdays(params string[] channelIds) => new()
    {
        ["title"] = "Standup digest",
        ["daysOfWeek"] = new[] { "monday", "tuesday", "wednesday", "thursday", "friday" },
        ["timeOfDay"] = "09:00",
        ["timeZone"] = "America/New_York",
        ["channelMode"] = channelIds.Length == 0 ? "allUnreads" : "specific",
        ["channelIds"] = channelIds,
        ["recurring"] = true,
        ["agent"] = "extractive",
        ["customInstructions"] = null,
    };

    /// <summary>A JSON array of strings for a field (params, so call sites need no array constants).</summary>
    public static string[] List(params string[] values) => values;

    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string field, object? value)
    {
        var copy = new Dictionary<string, object?>(body) { [field] = value };
        return copy;
    }

    public static Dictionary<string, object?> Without(this Dictionary<string, object?> body, string field)
    {
        var copy = new Dictionary<string, object?>(body);
        copy.Remove(field);
        return copy;
    }
}
