using NodaTime;
using NodaTime.Text;

namespace Recaps.Workflows.Domain;

/// <summary>
/// The local dates (in the schedule's zone) whose occurrence does not run, distinct and in order. A
/// skipped occurrence leaves the watermark where it is, so the next recap covers its posts.
/// </summary>
public readonly struct SkipDateSet
{
    /// <summary>The most dates a schedule keeps, as sent in a body and as stored.</summary>
    public const int MaxCount = 50;

    /// <summary>The wire and stored text of a date.</summary>
    public static readonly LocalDatePattern Pattern = LocalDatePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd");

    private readonly LocalDate[]? _dates;

    public SkipDateSet(IEnumerable<LocalDate> dates) => _dates = [.. dates.Distinct().Order()];

    public IReadOnlyList<LocalDate> Dates => _dates ?? [];

    public int Count => Dates.Count;

    public bool Contains(LocalDate date) => _dates is not null && Array.BinarySearch(_dates, date) >= 0;

    /// <summary>
    /// The dates that can still skip something at <paramref name="now"/> in <paramref name="zone"/>:
    /// from yesterday on, since a date's occurrence can start after its midnight (a gap across midnight,
    /// a start delayed within the catch-up window). Older ones are dropped whenever the dates are saved,
    /// so a schedule saved again never fails on a date that has passed, nor fills up with them.
    /// </summary>
    public SkipDateSet Current(Instant now, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var yesterday = now.InZone(zone).Date.PlusDays(-1);
        return new(Dates.Where(date => date >= yesterday));
    }

    public SkipDateSet With(LocalDate date) => new([.. Dates, date]);

    /// <summary>Why the occurrence of <paramref name="date"/> does not run, in the run history and in <c>nextRuns</c> alike.</summary>
    public static string Reason(LocalDate date) => $"skip date: {Pattern.Format(date)} is in the schedule's skipDates";
}
