using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NodaTime;
using Recaps.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace Recaps.Tests.Web;

/// <summary>The create form: a live preview of the next runs as fields change, errors next to their field.</summary>
public class CreateScheduleTests(PostgresFixture postgres, ChromiumFixture chromium)
{
    /// <summary>The Monday before New York springs forward (Sunday 2027-03-14, 02:00 → 03:00).</summary>
    private static readonly Instant BeforeSpringForward = Instant.FromUtc(2027, 3, 8, 12, 0);

    private static readonly Dictionary<string, object?> SundayNight = new()
    {
        ["title"] = "Sunday digest",
        ["daysOfWeek"] = ScheduleBodies.List("sunday"),
        ["timeOfDay"] = "02:30",
        ["timeZone"] = "America/New_York",
        ["channelMode"] = "specific",
        ["channelIds"] = ScheduleBodies.List("general"),
    };

    [Fact]
    public async Task Create_SundaysAt0230InNewYork_PreviewsTheDstNoteBeforeSaving_ThenListsIt()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, BeforeSpringForward);
        using var sam = web.Api.As("sam");
        var expected = (await (await sam.PostAtAsync("/v1/schedules/preview", SundayNight)).JsonAsync()).GetProperty("nextRuns")[0];
        var note = expected.Text("note");
        Assert.NotNull(note);
        await web.SignInAsync("sam");
        var page = web.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "New schedule" }).First.ClickAsync();
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Sunday digest");
        await ScheduleFormPage.ChooseDaysAsync(page, "Sunday");
        await page.GetByLabel("Time of day", new() { Exact = true }).FillAsync("02:30");
        await page.GetByLabel("Time zone", new() { Exact = true }).FillAsync("America/New_York");
        await page.GetByRole(AriaRole.Group, new() { Name = "Channels" }).GetByLabel("General").CheckAsync();
        var firstRun = page.GetByRole(AriaRole.Region, new() { Name = "Next runs" }).GetByRole(AriaRole.Listitem).First;
        await Expect(firstRun.Locator("time")).ToHaveAttributeAsync("datetime", expected.Text("at"));
        await Expect(firstRun).ToContainTextAsync(note);
        Assert.Empty(await web.SchedulesOfAsync("sam"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create schedule" }).ClickAsync();

        var row = page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row).Filter(new() { HasText = "Sunday digest" });
        await Expect(row).ToContainTextAsync(note);
        await Expect(row.Locator("time")).ToHaveAttributeAsync("datetime", expected.Text("at"));
        var stored = Assert.Single(await web.SchedulesOfAsync("sam"));
        Assert.Equal(["sunday"], stored.GetProperty("daysOfWeek").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(("02:30", "America/New_York"), (stored.Text("timeOfDay"), stored.Text("timeZone")));
        Assert.Equal(["general"], stored.GetProperty("channelIds").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Create_At2500_ShowsTheApisErrorNextToTimeOfDay_AndStoresNothing()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, BeforeSpringForward);
        using var sam = web.Api.As("sam");
        var errors = await (await sam.PostAtAsync("/v1/schedules/preview", SundayNight.With("timeOfDay", "25:00"))).ValidationProblemAsync("timeOfDay");
        var message = errors.GetProperty("timeOfDay")[0].GetString()!;
        await web.SignInAsync("sam");
        var page = web.Page;
        await page.GotoAsync("/new.html");

        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Too late");
        await page.GetByRole(AriaRole.Group, new() { Name = "Channels" }).GetByLabel("General").CheckAsync();
        var timeOfDay = page.GetByLabel("Time of day", new() { Exact = true });
        await timeOfDay.FillAsync("25:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create schedule" }).ClickAsync();

        await Expect(timeOfDay).ToHaveAccessibleDescriptionAsync(new Regex(Regex.Escape(message)));
        await Expect(timeOfDay).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(timeOfDay).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "false");
        await Expect(page).ToHaveURLAsync(new Uri(web.Api.BaseAddress, "new.html").ToString());
        Assert.Empty(await web.SchedulesOfAsync("sam"));
    }

    [Fact]
    public async Task TimeZone_DefaultsToTheBrowsersZone_AndThePreviewFollowsIt()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, BeforeSpringForward, "Asia/Tokyo");
        await web.SignInAsync("lee");

        await web.Page.GotoAsync("/new.html");

        await Expect(web.Page.GetByLabel("Time zone", new() { Exact = true })).ToHaveValueAsync("Asia/Tokyo");
        // Weekdays at 09:00 (the form's defaults) in Tokyo: Monday's has passed, the first is Tuesday 9 March, +09:00.
        await Expect(web.Page.GetByRole(AriaRole.Region, new() { Name = "Next runs" }).GetByRole(AriaRole.Listitem).First.Locator("time"))
            .ToHaveAttributeAsync("datetime", "2027-03-09T00:00:00Z");
    }
}
