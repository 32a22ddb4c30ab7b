namespace Recaps.Benchmarks.Load;

internal static class Latencies
{
    /// <summary>The nearest-rank percentile <paramref name="p"/> (0–100) of <paramref name="milliseconds"/>; 0 when empty.</summary>
    public static double Percentile(double[] milliseconds, double p)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
