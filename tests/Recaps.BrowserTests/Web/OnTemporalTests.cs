using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Recaps.Tests.EndToEnd;
using static Microsoft.Playwright.Assertions;

namespace Recaps.Tests.Web;

/// <summary>
/// The web app on the whole of Recaps and a real Temporal server (<see cref="RecapsInDevelopment"/>):
/// what the page says happened is what the server did.
/// </summary>
public class OnTemporalTests(RecapsInDevelopment recaps, ChromiumFixture chromium) : IClassFixture<RecapsInDevelopment>
{
    /// <summary>Long enough for a workflow start, its activities and the recap on a loaded 2-core machine.</summary>
    private static readonly LocatorAssertionsToContainTextOptions RunPatience = new() { Timeout = 90_000 };

    [Fact]
    public async Task APerson_CreatesInAZoneWithDst_PausesAndResumes_RunsNowUntilTheRecapIsStored_AndOpensIt()
    {
        await using var tab = await BrowserTab.OpenAsync(chromium, recaps.BaseAddress, "America/New_York");
        var page = tab.Page;
        await page.GotoAsync("/sign-in.html");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in as sam" })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("sign-in");
        await tab.SignInAsync("sam");

        // Create: Sundays at 02:30 in New York, a time that does not exist on spring-forward day.
        await page.GetByRole(AriaRole.Link, new() { Name = "New schedule" }).First.ClickAsync();
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Sunday digest");
        await ScheduleFormPage.ChooseDaysAsync(page, "Sunday");
        await page.GetByRole(AriaRole.Group, new() { Name = "Channels" }).GetByLabel("General").CheckAsync();
        var timeOfDay = page.GetByLabel("Time of day", new() { Exact = true });
        await timeOfDay.FillAsync("2:30 am");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create schedule" }).ClickAsync();
        await Expect(timeOfDay).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#timeOfDay-error")).Not.ToBeEmptyAsync();
        await timeOfDay.FillAsync("02:30");
        var preview = page.GetByRole(AriaRole.Region, new() { Name = "Next runs" });
        await Expect(preview.GetByRole(AriaRole.List, new() { Name = "Later, at a change of clocks" })).ToContainTextAsync("does not exist");
        await tab.ScreenshotAsync("new-schedule");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create schedule" }).ClickAsync();

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sunday digest" });
        await Expect(row).ToContainTextAsync(new Regex("Waiting to reach Temporal|In Temporal"));
        await tab.ScreenshotAsync("schedules");
        await row.GetByRole(AriaRole.Link, new() { Name = "Sunday digest" }).ClickAsync();
        var scheduleId = new Uri(page.Url).Query.Split('=')[1];
        await ReloadUntilAsync(page, page.GetByText("In Temporal"));
        Assert.False((await recaps.DescribeAsync(scheduleId)).Schedule.State.Paused);

        // Pause with a reason, and the Temporal schedule is paused; resume, and it is not.
        await page.GetByLabel("Reason for pausing").FillAsync("Conference week");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.GetByText("Paused by you: Conference week")).ToBeVisibleAsync();
        await Eventually.UntilAsync("the Temporal schedule to be paused", () => recaps.DescribeAsync(scheduleId), d => d.Schedule.State.Paused);
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Run now" })).ToBeVisibleAsync();
        await Eventually.UntilAsync("the Temporal schedule to be unpaused", () => recaps.DescribeAsync(scheduleId), d => !d.Schedule.State.Paused);

        // Run now: the page follows the run until the worker has stored the recap.
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        var progress = page.GetByRole(AriaRole.Status);
        await Expect(progress).ToContainTextAsync("Recap stored.", RunPatience);
        var runs = page.GetByRole(AriaRole.Table).Filter(new() { HasText = "Newest first" });
        await Expect(runs.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("completed");
        await Expect(runs.GetByRole(AriaRole.Link, new() { Name = "Workflow in Temporal" })).ToHaveCountAsync(0);
        await tab.ScreenshotAsync("schedule");

        await progress.GetByRole(AriaRole.Link, new() { Name = "Open the recap" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"recap\.html\?id=[0-9a-f-]{36}$"));
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Welcome Priya, who joins the platform team today.");
        await tab.ScreenshotAsync("recap");
        await page.GetByRole(AriaRole.Link, new() { Name = "Recaps", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sunday digest" })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("recaps");
        await page.GetByRole(AriaRole.Link, new() { Name = "Delivery", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("delivery");
    }

    [Fact]
    public async Task AnAdmin_SeesEachRunsWorkflowInTheTemporalWebUi()
    {
        await using var tab = await BrowserTab.OpenAsync(chromium, recaps.BaseAddress, "Europe/Paris");
        var page = tab.Page;
        await tab.SignInAsync("demo");
        await page.GetByRole(AriaRole.Link, new() { Name = "Morning digest" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Recap stored.", RunPatience);
        var workflow = page.GetByRole(AriaRole.Link, new() { Name = "Workflow in Temporal" }).First;
        var href = await workflow.GetAttributeAsync("href");
        Assert.NotNull(href);
        Assert.Matches(@"^http://localhost:\d+/namespaces/default/workflows/", href);
        using var ui = new HttpClient();
        using var answer = await ui.GetAsync(new Uri(href), TestContext.Current.CancellationToken);
        Assert.True(answer.IsSuccessStatusCode, $"The Web UI answered {answer.StatusCode} at {href}");
    }

    /// <summary>Reloads until <paramref name="shown"/> is visible: the sync's progress shows on the next read of the schedule.</summary>
    private static async Task ReloadUntilAsync(IPage page, ILocator shown)
    {
        var deadline = DateTime.UtcNow + Eventually.Deadline;
        while (!await shown.IsVisibleAsync() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }

        await Expect(shown).ToBeVisibleAsync();
    }
}
