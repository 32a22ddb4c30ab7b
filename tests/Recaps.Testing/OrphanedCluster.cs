using System.Globalization;

namespace Recaps.Testing;

/// <summary>
/// Marks a cluster folder with the process that owns it, to tell the leftovers of a killed run
/// from a live one. The owner is its process id and its start time in clock ticks since boot
/// (from <c>/proc</c>, exact), so a reused process id is not mistaken for the owner. Where there
/// is no <c>/proc</c>, folders are not marked and never swept.
/// </summary>
internal static class OrphanedCluster
{
    private const string OwnerFile = "owner";

    public static void WriteOwner(string folder)
    {
        if (StartTicks(Environment.ProcessId) is { } start)
        {
            File.WriteAllText(Path.Combine(folder, OwnerFile), $"{Environment.ProcessId} {start}");
        }
    }

    public static bool IsOrphan(string folder)
    {
        string[] owner;
        try
        {
            owner = File.ReadAllText(Path.Combine(folder, OwnerFile)).Split(' ');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return owner.Length == 2
            && int.TryParse(owner[0], CultureInfo.InvariantCulture, out var id)
            && long.TryParse(owner[1], CultureInfo.InvariantCulture, out var start)
            && Directory.Exists("/proc/self")
            && StartTicks(id) != start;
    }

    /// <summary>Field 22 of <c>/proc/[pid]/stat</c>; null when there is no such process.</summary>
    private static long? StartTicks(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            // The command name (field 2) may hold spaces and parentheses; fields after it are plain.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[22 - 3], CultureInfo.InvariantCulture);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
