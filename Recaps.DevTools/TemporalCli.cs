namespace Recaps.DevTools;

/// <summary>
/// Finds the <c>temporal</c> CLI, whose <c>server start-dev</c> is the Temporal dev server used by
/// embedded mode and the end-to-end tests: <c>RECAPS_TEMPORAL_CLI</c> when set, else the first
/// <c>temporal</c> on PATH.
/// </summary>
public static class TemporalCli
{
    public const string Variable = "RECAPS_TEMPORAL_CLI";

    /// <summary>The CLI's path, or null when there is none.</summary>
    /// <exception cref="FileNotFoundException"><c>RECAPS_TEMPORAL_CLI</c> names a file that does not exist: a typo should not fall back silently.</exception>
    public static string? Find() => Find(Environment.GetEnvironmentVariable(Variable), Environment.GetEnvironmentVariable("PATH"));

    public static string? Find(string? configured, string? path)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new FileNotFoundException($"{Variable} names {configured}, which does not exist.", configured);
        }

        var name = OperatingSystem.IsWindows() ? "temporal.exe" : "temporal";
        return (path ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
    }
}
