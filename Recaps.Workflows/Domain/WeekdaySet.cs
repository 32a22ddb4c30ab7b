using NodaTime;

namespace Recaps.Workflows.Domain;

/// <summary>The days of the week a schedule runs on, as a bit set (bit n = ISO day n, Monday = 1).</summary>
public readonly record struct WeekdaySet(byte Bits)
{
    public static readonly IReadOnlyList<IsoDayOfWeek> Week =
    [
        IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday,
        IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday,
    ];

    public bool IsEmpty => Bits == 0;

    public bool Contains(IsoDayOfWeek day) => (Bits & (1 << (int)day)) != 0;

    public WeekdaySet With(IsoDayOfWeek day) => new((byte)(Bits | (1 << (int)day)));

    public IEnumerable<IsoDayOfWeek> Days => Week.Where(Contains);

    public static WeekdaySet Of(params IEnumerable<IsoDayOfWeek> days) =>
        days.Aggregate(default(WeekdaySet), (set, day) => set.With(day));

    /// <summary>Lowercase English name, the wire form of a day.</summary>
    public static string NameOf(IsoDayOfWeek day) => day.ToString().ToLowerInvariant();
}
