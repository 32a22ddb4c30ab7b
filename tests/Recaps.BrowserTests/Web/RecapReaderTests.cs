using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Recaps.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace Recaps.Tests.Web;

/// <summary>The recaps list and the reader: highlights with the posts they cite, feedback, and regeneration.</summary>
public class RecapReaderTests(PostgresFixture postgres, ChromiumFixture chromium)
{
    [Fact]
    public async Task List_ThenReader_ShowsTheHighlightWithTheCitedPost_InTheSchedulesZone()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        var (schedule, recapId) = await web.StandupRecapAsync();
        await web.SignInAsync("sam");
        var page = web.Page;

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Recaps" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row).Filter(new() { HasText = "Standup digest" });
        await Expect(row).ToHaveCountAsync(1);
        // Tokyo's 09:00, as the schedule says, not the browser's Paris time.
        await Expect(row).ToContainTextAsync("09:00 (Asia/Tokyo)");
        await Expect(row).ToContainTextAsync("Version 1 · extractive");
        await row.GetByRole(AriaRole.Link, new() { Name = "Standup digest" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(web.Api.BaseAddress, $"recap.html?id={recapId}").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Standup digest", Level = 1 })).ToBeVisibleAsync();
        var general = page.GetByRole(AriaRole.Region, new() { Name = "General" });
        var highlight = general.GetByRole(AriaRole.Listitem).Filter(new() { HasText = SeededRecaps.Decision }).First;
        var cited = highlight.GetByRole(AriaRole.List, new() { Name = "Cited post" });
        await Expect(cited).ToContainTextAsync("lee");
        await Expect(cited.Locator("blockquote")).ToHaveTextAsync(SeededRecaps.Decision);
        // The post's own time, an hour and a minute before the 09:00 run, in Tokyo.
        await Expect(cited.Locator("time")).ToContainTextAsync("07:59");
        await Expect(page.Locator("#facts")).ToContainTextAsync("Mon, 2 Mar 2026, 09:00 – Tue, 3 Mar 2026, 09:00 (Asia/Tokyo)");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = schedule.Text("title") })).ToHaveAttributeAsync("href", $"schedule.html?id={schedule.Id()}");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Deliveries" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "In the app" })).ToContainTextAsync("Delivered");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Versions" }).GetByRole(AriaRole.Link, new() { Name = "Version 1" }))
            .ToHaveAttributeAsync("aria-current", "page");
    }

    [Fact]
    public async Task Feedback_DownWithAComment_IsConfirmed_AndStored()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        var (_, recapId) = await web.StandupRecapAsync();
        await web.SignInAsync("sam");
        var page = web.Page;
        await page.GotoAsync($"/recap.html?id={recapId}");

        await page.GetByRole(AriaRole.Group, new() { Name = "Rating" }).GetByLabel("Down").CheckAsync();
        await page.GetByLabel("Comment", new() { Exact = true }).FillAsync("Missed the\nrelease note.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send feedback" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "feedback" })).ToHaveTextAsync("Thank you: your feedback (down) was saved.");
        using var sam = web.Api.As("sam");
        var feedback = (await sam.GetJsonAsync($"/v1/recaps/{recapId}")).GetProperty("feedback");
        Assert.Equal(("down", "Missed the\nrelease note."), (feedback.Text("rating"), feedback.Text("comment")));
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rating" }).GetByLabel("Down")).ToBeCheckedAsync();
    }

    [Fact]
    public async Task Feedback_WithoutARating_ShowsTheApisErrorNextToRating_AndStoresNothing()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        var (_, recapId) = await web.StandupRecapAsync();
        using var sam = web.Api.As("sam");
        var errors = await (await sam.PostAtAsync($"/v1/recaps/{recapId}/feedback", new { comment = "no rating" })).ValidationProblemAsync("rating");
        await web.SignInAsync("sam");
        var page = web.Page;
        await page.GotoAsync($"/recap.html?id={recapId}");

        await page.GetByLabel("Comment", new() { Exact = true }).FillAsync("no rating");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send feedback" }).ClickAsync();

        var rating = page.GetByRole(AriaRole.Group, new() { Name = "Rating" });
        await Expect(rating).ToHaveAccessibleDescriptionAsync(new Regex(Regex.Escape(errors.GetProperty("rating")[0].GetString()!)));
        await Expect(rating).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(rating.GetByLabel("Up")).ToBeFocusedAsync();
        Assert.Equal(0, await web.CountAsync("recap_feedback"));
    }

    [Fact]
    public async Task Regenerate_ShowsTheNewVersionPending_ThenOpensItWhenStored()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        var (_, recapId) = await web.StandupRecapAsync();
        await web.SignInAsync("sam");
        var page = web.Page;
        await page.GotoAsync($"/recap.html?id={recapId}");
        await Expect(page.GetByLabel("Agent", new() { Exact = true }).Locator("option[value=extractive]")).ToHaveTextAsync("extractive (built in)");

        await page.GetByLabel("Agent", new() { Exact = true }).SelectOptionAsync("extractive");
        await page.GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Version 2" }))
            .ToHaveTextAsync("Version 2 is pending: extractive is writing it. This page opens it when it is stored.");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Versions" }).GetByRole(AriaRole.Listitem).Nth(1)).ToContainTextAsync("Version 2 · extractive · being written");
        // What the sync turns into the regeneration's workflow: the request and its outbox row, stored once.
        Assert.Equal(1, await web.CountAsync("recap_regenerations"));
        Assert.Equal(1, await web.CountAsync("schedule_outbox", "operation = 'regenerate'"));
        using var sam = web.Api.As("sam");
        var versions = (await sam.GetJsonAsync($"/v1/recaps/{recapId}/versions")).GetProperty("items");
        var pending = versions[1].Text("recapId");

        await web.WriteRegenerationAsync(pending);

        await Expect(page).ToHaveURLAsync(new Uri(web.Api.BaseAddress, $"recap.html?id={pending}").ToString());
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Versions" }).GetByRole(AriaRole.Link, new() { Name = "Version 2" }))
            .ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Versions" }).GetByRole(AriaRole.Link, new() { Name = "Version 1" }))
            .ToHaveAttributeAsync("href", $"recap.html?id={recapId}");
    }

    [Fact]
    public async Task Regenerate_ThatFailsForGood_SaysWhy_AndCanBeAskedAgain()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        var (_, recapId) = await web.StandupRecapAsync();
        await web.SignInAsync("sam");
        var page = web.Page;
        await page.GotoAsync($"/recap.html?id={recapId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Version 2" })).ToContainTextAsync("pending");

        await web.FailRegenerationAsync("provider_error: the model did not answer");

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Version 2" }))
            .ToHaveTextAsync("Version 2 could not be written: provider_error: the model did not answer. You can ask again.");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Versions" }).GetByRole(AriaRole.Listitem).Nth(1)).ToContainTextAsync("could not be written");
        await page.GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Version 3" })).ToContainTextAsync("pending");
    }

    [Fact]
    public async Task Reader_OfARecapNotTheCallers_SaysSo()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        var (_, recapId) = await web.StandupRecapAsync();
        await web.SignInAsync("lee");

        await web.Page.GotoAsync($"/recap.html?id={recapId}");

        await Expect(web.Page.GetByText("This recap does not exist, or it is not yours.")).ToBeVisibleAsync();
        await Expect(web.Page.GetByRole(AriaRole.Button, new() { Name = "Send feedback" })).ToBeHiddenAsync();
    }

    [Fact]
    public async Task List_WithoutRecaps_SaysWhereTheyComeFrom()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        await web.SignInAsync("lee");

        await web.Page.GotoAsync("/recaps.html");

        await Expect(web.Page.GetByText("You have no recaps yet: they appear here once a schedule has run.")).ToBeVisibleAsync();
        await Expect(web.Page.GetByRole(AriaRole.Table)).ToBeHiddenAsync();
    }
}
