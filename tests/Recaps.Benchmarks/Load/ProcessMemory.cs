using System.Globalization;

namespace Recaps.Benchmarks.Load;

/// <summary>This process's memory as the kernel counts it (<c>/proc/self/status</c>), and the GC's own view.</summary>
internal sealed record ProcessMemory(long VmRssKb, long VmHwmKb, long RssAnonKb, long RssFileKb, int Threads, long GcHeapBytes, long GcCommittedBytes)
{
    public static ProcessMemory Read()
    {
        var gc = GC.GetGCMemoryInfo();
        return Read("self") with { GcHeapBytes = gc.HeapSizeBytes, GcCommittedBytes = gc.TotalCommittedBytes };
    }

    /// <summary>Another process's memory; its GC figures are not visible from here (0).</summary>
    public static ProcessMemory Read(int processId) => Read(processId.ToString(CultureInfo.InvariantCulture));

    private static ProcessMemory Read(string process)
    {
        var status = File.ReadLines($"/proc/{process}/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.Ordinal);
        long Kb(string key) => status.TryGetValue(key, out var value) ? long.Parse(value.Split(' ')[0], CultureInfo.InvariantCulture) : 0;
        return new ProcessMemory(Kb("VmRSS"), Kb("VmHWM"), Kb("RssAnon"), Kb("RssFile"), (int)Kb("Threads"), 0, 0);
    }

    public string Row(string moment) => string.Create(CultureInfo.InvariantCulture,
        $"| {moment} | {VmRssKb / 1024.0:F1} | {VmHwmKb / 1024.0:F1} | {RssAnonKb / 1024.0:F1} | {RssFileKb / 1024.0:F1} | {GcHeapBytes / 1048576.0:F1} | {GcCommittedBytes / 1048576.0:F1} | {Threads} |");

    public const string Header = """
        | moment | VmRSS MB | VmHWM MB | RssAnon MB | RssFile MB | GC heap MB | GC committed MB | threads |
        |---|---:|---:|---:|---:|---:|---:|---:|
        """;
}
