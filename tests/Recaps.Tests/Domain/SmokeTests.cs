using NodaTime;
using Recaps.Workflows.Domain;

namespace Recaps.Tests.Domain;

public class SmokeTests
{
    [Fact]
    public void Next_NewYorkSpringForward_ShiftsByGap()
    {
        var recurrence = new Recurrence(WeekdaySet.Of(IsoDayOfWeek.Sunday), new LocalTime(2, 30), DateTimeZoneProviders.Tzdb["America/New_York"], true, Instant.FromUtc(2026, 1, 1, 0, 0));
        var next = RecurrenceEngine.Next(recurrence, Instant.FromUtc(2026, 3, 7, 0, 0))!.Value;
        Assert.Equal(new LocalDate(2026, 3, 8), next.Date);
        Assert.Equal(new LocalTime(3, 30), next.Local.TimeOfDay);
        Assert.Equal(OccurrenceShift.ForwardOverGap, next.Shift);
    }
}
