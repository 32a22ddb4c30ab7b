using Microsoft.Playwright;

namespace Recaps.Tests.Web;

/// <summary>What a person does on the schedule form, by the fields' accessible names.</summary>
internal static class ScheduleFormPage
{
    private static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    /// <summary>Ticks exactly <paramref name="chosen"/> in "Days" (the form starts with the weekdays ticked).</summary>
    public static async Task ChooseDaysAsync(IPage page, params string[] chosen)
    {
        var days = page.GetByRole(AriaRole.Group, new() { Name = "Days" });
        foreach (var day in Days)
        {
            await days.GetByLabel(day).SetCheckedAsync(chosen.Contains(day));
        }
    }
}
