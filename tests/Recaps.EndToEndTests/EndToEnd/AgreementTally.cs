using System.Text;
using NodaTime;
using NodaTime.Text;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// The server's matching times against the preview's occurrences, window by window: each listed time
/// is read back to the local date it is the occurrence of (<see cref="RecurrenceEngine.OccurrenceDateOf"/>),
/// and each expected occurrence is then missing, late (listed at another instant), doubled (listed
/// more than once) or right; listed times of no expected date are extra. Safe to add to from many calls at once.
/// </summary>
internal sealed class AgreementTally
{
    private const int MismatchesKept = 40;

    private static readonly ZonedDateTimePattern LocalFormat = ZonedDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm o<g>", null);

    private readonly Lock _lock = new();

    private readonly List<string> _mismatches = [];

    public int Windows { get; private set; }

    public int Expected { get; private set; }

    public int Listed { get; private set; }

    public int Missing { get; private set; }

    public int Extra { get; private set; }

    public int Late { get; private set; }

    public int Doubled { get; private set; }

    public int Mismatches => Missing + Extra + Late + Doubled;

    /// <summary>The occurrences of <paramref name="recurrence"/> in <paramref name="window"/>, as the preview and nextRuns show them.</summary>
    public static List<Occurrence> Occurrences(Recurrence recurrence, Interval window)
    {
        return [.. RecurrenceEngine.Between(recurrence, window.Start, window.End).Where(o => window.Contains(o.At))];
    }

    public void Add(AgreementCase @case, Interval window, IReadOnlyList<Instant> listed)
    {
        var recurrence = @case.Recurrence;
        var expected = Occurrences(recurrence, window);
        var byDate = listed.ToLookup(at => RecurrenceEngine.OccurrenceDateOf(recurrence, at));
        var found = new List<string>();
        var (missing, late, doubled) = (0, 0, 0);
        foreach (var occurrence in expected)
        {
            var atDate = byDate[occurrence.Date].ToList();
            if (atDate.Count == 0)
            {
                missing++;
                found.Add($"missing: {Describe(recurrence, occurrence.At)} ({occurrence.Date:uuuu'-'MM'-'dd}) not listed");
                continue;
            }

            if (!atDate.Contains(occurrence.At))
            {
                late++;
                found.Add($"late: {occurrence.Date:uuuu'-'MM'-'dd} expected {Describe(recurrence, occurrence.At)}, listed {string.Join(", ", atDate.Select(at => Describe(recurrence, at)))}");
            }

            if (atDate.Count > 1)
            {
                doubled++;
                found.Add($"doubled: {occurrence.Date:uuuu'-'MM'-'dd} expected {Describe(recurrence, occurrence.At)}, listed {string.Join(", ", atDate.Select(at => Describe(recurrence, at)))}");
            }
        }

        var expectedDates = expected.Select(o => o.Date).ToHashSet();
        var extra = listed.Where(at => !expectedDates.Contains(RecurrenceEngine.OccurrenceDateOf(recurrence, at))).ToList();
        found.AddRange(extra.Select(at => $"extra: {Describe(recurrence, at)} listed, no occurrence that date"));

        lock (_lock)
        {
            Windows++;
            Expected += expected.Count;
            Listed += listed.Count;
            (Missing, Late, Doubled, Extra) = (Missing + missing, Late + late, Doubled + doubled, Extra + extra.Count);
            _mismatches.AddRange(found.Take(MismatchesKept - _mismatches.Count).Select(f => $"{@case} in {window}: {f}"));
        }
    }

    /// <summary>The counts, and the first mismatches when there are any.</summary>
    public string Report()
    {
        var report = new StringBuilder(
            $"{Windows} windows: {Expected} occurrences expected, {Listed} times listed; {Missing} missing, {Extra} extra, {Late} late, {Doubled} doubled");
        foreach (var mismatch in _mismatches)
        {
            report.Append('\n').Append(mismatch);
        }

        return report.ToString();
    }

    private static string Describe(Recurrence recurrence, Instant at) => $"{at} = {LocalFormat.Format(at.InZone(recurrence.Zone))}";
}
