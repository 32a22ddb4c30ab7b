using NodaTime;
using Recaps.Workflows.Sync;

namespace Recaps.Tests.Sync;

public class SpecChecksTests
{
    private static readonly Interval Range = new(Instant.FromUtc(2026, 3, 1, 0, 0), Instant.FromUtc(2026, 3, 4, 0, 0));

    private static readonly Duration Jitter = Duration.FromMinutes(1);

    private static readonly Instant[] Daily = [At(1), At(2), At(3)];

    [Fact]
    public void FirstDifference_ListedWithinTheJitter_Agrees() =>
        Assert.Null(SpecChecks.FirstDifference(Daily, [At(1, 30), At(2, 0), At(3, 59)], Range, Jitter));

    [Fact]
    public void FirstDifference_ListedAnHourLate_IsTheExpectedInstantWithWhatWasListed() =>
        Assert.Equal((At(2), At(2), At(2) + Duration.FromHours(1)), SpecChecks.FirstDifference(Daily, [At(1), At(2) + Duration.FromHours(1), At(3)], Range, Jitter));

    [Fact]
    public void FirstDifference_NotListed_IsMissing() =>
        Assert.Equal((At(3), At(3), (Instant?)null), SpecChecks.FirstDifference(Daily, [At(1), At(2)], Range, Jitter));

    [Fact]
    public void FirstDifference_ListedTwice_IsTheExtraFire() =>
        Assert.Equal((At(2) + Duration.FromHours(1), (Instant?)null, At(2) + Duration.FromHours(1)), SpecChecks.FirstDifference(
            Daily, [At(1), At(2), At(2) + Duration.FromHours(1), At(3)], Range, Jitter));

    [Fact]
    public void FirstDifference_OccurrenceWhoseJitterMayPassTheRangesEnd_IsNotMissing()
    {
        var end = Range.End - Duration.FromSeconds(30);

        Assert.Null(SpecChecks.FirstDifference([.. Daily, end], Daily, Range, Jitter));
    }

    [Fact]
    public void FirstDifference_JitteredIntoTheRangeFromBeforeIt_Agrees()
    {
        var before = Range.Start - Duration.FromSeconds(20);

        Assert.Null(SpecChecks.FirstDifference([before, .. Daily], [before + Duration.FromSeconds(40), .. Daily], Range, Jitter));
    }

    private static Instant At(int day, int seconds = 0) => Instant.FromUtc(2026, 3, day, 14, 0) + Duration.FromSeconds(seconds);
}
