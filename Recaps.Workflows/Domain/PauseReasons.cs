namespace Recaps.Workflows.Domain;

/// <summary>How a pause reads as the reason an occurrence did not run.</summary>
public static class PauseReasons
{
    /// <summary>The user's pause, with their reason when they gave one.</summary>
    public static string ByUser(string? reason) => reason is null ? "paused by the user" : $"paused by the user: {reason}";

    /// <summary>An operator's pause, with the operator's words or a placeholder when they gave none.</summary>
    public static string ByOperator(string? note) => $"paused by operator: {(string.IsNullOrWhiteSpace(note) ? "(no reason given)" : note)}";
}
