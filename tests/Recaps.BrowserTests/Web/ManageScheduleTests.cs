using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Recaps.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace Recaps.Tests.Web;

/// <summary>One schedule's page: edit and save, pause with a reason and resume, delete after confirming, skip the next run.</summary>
public class ManageScheduleTests(PostgresFixture postgres, ChromiumFixture chromium)
{
    [Fact]
    public async Task Edit_EveryFieldTheApiTakes_IsSavedAndShown_AndTheRestIsKept()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var sam = web.Api.As("sam");
        var id = (await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Standup digest").With("skipIfEmpty", true))).Id();
        var page = await OpenAsync(web, "sam", "Standup digest");

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit schedule" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync("Standup digest");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Channels" }).GetByLabel("General")).ToBeCheckedAsync();
        await page.GetByLabel("Time of day", new() { Exact = true }).FillAsync("10:15");
        await page.GetByRole(AriaRole.Group, new() { Name = "Days" }).GetByLabel("Saturday").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Channels" }).GetByLabel("Engineering").CheckAsync();
        await page.GetByLabel("Instructions", new() { Exact = true }).FillAsync("Decisions first.");
        await page.GetByLabel("Dates to skip", new() { Exact = true }).FillAsync("2027-12-24, 2027-12-31");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"schedule\\.html\\?id={id}$"));
        var settings = page.GetByRole(AriaRole.Region, new() { Name = "Settings" });
        await Expect(settings).ToContainTextAsync("10:15");
        await Expect(settings).ToContainTextAsync("Decisions first.");
        var stored = await sam.GetJsonAsync($"/v1/schedules/{id}");
        Assert.Equal("10:15", stored.Text("timeOfDay"));
        Assert.Equal(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"], Texts(stored, "daysOfWeek"));
        Assert.Equal(["engineering", "general"], Texts(stored, "channelIds").Order());
        Assert.Equal("Decisions first.", stored.Text("customInstructions"));
        Assert.Equal(["2027-12-24", "2027-12-31"], Texts(stored, "skipDates"));
        Assert.True(stored.GetProperty("skipIfEmpty").GetBoolean());
        Assert.Equal("extractive", stored.Text("agent"));
    }

    [Fact]
    public async Task Edit_WithAnInvalidSkipDate_ShowsTheErrorNextToIt_AndChangesNothing()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var sam = web.Api.As("sam");
        var before = await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Standup digest"));
        var page = await OpenAsync(web, "sam", "Standup digest");
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();

        await page.GetByLabel("Time of day", new() { Exact = true }).FillAsync("07:00");
        var skipDates = page.GetByLabel("Dates to skip", new() { Exact = true });
        await skipDates.FillAsync("2027-02-30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(skipDates).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(skipDates).ToHaveAccessibleDescriptionAsync(new Regex("'2027-02-30' is not a date"));
        await Expect(skipDates).ToBeFocusedAsync();
        var after = await sam.GetJsonAsync($"/v1/schedules/{before.Id()}");
        Assert.Equal(before.Text("updatedAt"), after.Text("updatedAt"));
        Assert.Equal("09:00", after.Text("timeOfDay"));
    }

    [Fact]
    public async Task Edit_WhileTheScheduleLoads_TakesNoInput_ThenShowsIt_AndKeepsWhatIsTypedAfter()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var sam = web.Api.As("sam");
        var id = (await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Standup digest"))).Id();
        var page = await OpenAsync(web, "sam", "Standup digest");
        var loaded = new TaskCompletionSource();
        await page.RouteAsync($"**/v1/schedules/{id}", async route =>
        {
            await loaded.Task;
            await route.ContinueAsync();
        });
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();

        var timeOfDay = page.GetByLabel("Time of day", new() { Exact = true });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit schedule" })).ToBeVisibleAsync();
        await Expect(timeOfDay).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeDisabledAsync();
        loaded.SetResult();
        await timeOfDay.FillAsync("07:00");

        await Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync("Standup digest");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Channels" }).GetByLabel("General")).ToBeCheckedAsync();
        await Expect(timeOfDay).ToHaveValueAsync("07:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"schedule\\.html\\?id={id}$"));
        Assert.Equal("07:00", (await sam.GetJsonAsync($"/v1/schedules/{id}")).Text("timeOfDay"));
    }

    [Fact]
    public async Task PauseWithAReason_ThenResume_ShowsEachState_AndTheApiHasIt()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var lee = web.Api.As("lee");
        var id = (await lee.CreateScheduleAsync(ScheduleBodies.Weekdays("design").With("title", "Design digest"))).Id();
        var page = await OpenAsync(web, "lee", "Design digest");

        await page.GetByLabel("Reason for pausing").FillAsync("On holiday");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();

        await Expect(page.GetByText("Paused by you: On holiday")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Run now" })).ToBeHiddenAsync();
        var paused = await lee.GetJsonAsync($"/v1/schedules/{id}");
        Assert.Equal(("paused", "user", "On holiday"), (paused.Text("status"), paused.Text("pausedBy"), paused.Text("pauseReason")));

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();

        await Expect(page.GetByText("Paused by you")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Run now" })).ToBeVisibleAsync();
        Assert.Equal("active", (await lee.GetJsonAsync($"/v1/schedules/{id}")).Text("status"));
    }

    [Fact]
    public async Task OperatorPause_IsShownApart_AndOffersNoResumeOrRunNow()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var lee = web.Api.As("lee");
        var id = (await lee.CreateScheduleAsync(ScheduleBodies.Weekdays("design").With("title", "Design digest"))).Id();
        await web.Api.Database.OperatorPauseAsync(id, web.Api.Clock.GetCurrentInstant(), "maintenance");
        var page = await OpenAsync(web, "lee", "Design digest");

        await Expect(page.GetByText("Paused by an operator: maintenance. Only an operator can resume it.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Run now" })).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Delete_AsksFirst_KeepItKeepsIt_ConfirmingDeletesIt()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var sam = web.Api.As("sam");
        await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Standup digest"));
        var page = await OpenAsync(web, "sam", "Standup digest");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete this schedule?" });
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Keep it" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeHiddenAsync();
        Assert.Single(await web.SchedulesOfAsync("sam"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete schedule" }).ClickAsync();

        await Expect(page.GetByText("You have no schedules yet.")).ToBeVisibleAsync();
        Assert.Empty(await web.SchedulesOfAsync("sam"));
    }

    [Fact]
    public async Task SkipNextRun_MarksTheNextRunSkipped()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var sam = web.Api.As("sam");
        var id = (await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Standup digest"))).Id();
        var next = (await sam.GetJsonAsync($"/v1/schedules/{id}")).GetProperty("nextRuns")[0];
        var page = await OpenAsync(web, "sam", "Standup digest");

        await page.GetByRole(AriaRole.Button, new() { Name = "Skip next run" }).ClickAsync();

        var firstRun = page.GetByRole(AriaRole.Region, new() { Name = "Next runs" }).GetByRole(AriaRole.Listitem).First;
        await Expect(firstRun.Locator("time")).ToHaveAttributeAsync("datetime", next.Text("at"));
        await Expect(firstRun).ToContainTextAsync("Skipped");
        var skipped = await sam.GetJsonAsync($"/v1/schedules/{id}");
        Assert.Equal([next.Text("local")[..10]], Texts(skipped, "skipDates"));
    }

    [Fact]
    public async Task Create_ForEverythingUnread_WithInstructionsAndOwnTargets_StoresEachField()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        await web.SignInAsync("sam");
        var page = web.Page;
        await page.GotoAsync("/new.html");

        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Catch-up");
        await page.GetByLabel("Everything I have not read").CheckAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Channels" }).GetByLabel("General")).ToBeHiddenAsync();
        await page.GetByLabel("Instructions", new() { Exact = true }).FillAsync("Only what needs me.");
        await page.GetByLabel("Skip a run when nothing was posted").CheckAsync();
        await page.GetByLabel("Targets for this schedule only").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add email" }).ClickAsync();
        var email = page.GetByRole(AriaRole.Group, new() { Name = "Target 1: Email" }).GetByLabel("Email address");
        await Expect(email).ToBeFocusedAsync();
        await email.FillAsync("sam@example.test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create schedule" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Catch-up" })).ToBeVisibleAsync();
        var stored = Assert.Single(await web.SchedulesOfAsync("sam"));
        Assert.Equal(("allUnreads", "Only what needs me."), (stored.Text("channelMode"), stored.Text("customInstructions")));
        Assert.True(stored.GetProperty("skipIfEmpty").GetBoolean());
        var target = Assert.Single(stored.GetProperty("deliverTo").EnumerateArray());
        Assert.Equal(("email", "sam@example.test"), (target.Text("type"), target.Text("address")));
    }

    [Fact]
    public async Task Edit_OwnTargets_ShowsTheWebhooksHostOnly_AsksForItAgain_NextToIt_ThenStoresTheListAsEdited()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var sam = web.Api.As("sam");
        var ownTargets = new object[]
        {
            new { type = "webhook", url = "https://hooks.example.com/services/T000/B000", secret = "whsec-0123456789abcdef" },
            new { type = "email", address = "sam@example.test" },
        };
        var id = (await sam.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Standup digest").With("deliverTo", ownTargets))).Id();
        var page = await OpenAsync(web, "sam", "Standup digest");
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();

        await Expect(page.GetByLabel("Targets for this schedule only")).ToBeCheckedAsync();
        var webhook = page.GetByRole(AriaRole.Group, new() { Name = "Target 1: Webhook" });
        await Expect(webhook).ToContainTextAsync("Set now: https://hooks.example.com/…");
        await Expect(webhook.GetByLabel("Secret")).ToHaveValueAsync("");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Target 2: Email" }).GetByLabel("Email address")).ToHaveValueAsync("sam@example.test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var url = webhook.GetByLabel("Webhook URL");
        await Expect(url).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(url).ToHaveAccessibleDescriptionAsync(new Regex("deliverTo\\[0\\]\\.url is required"));
        await Expect(url).ToBeFocusedAsync();
        await url.FillAsync("https://chat.example.org/hooks/new");
        await Expect(url).ToHaveAttributeAsync("aria-invalid", "false");
        await webhook.GetByLabel("Secret").FillAsync("whsec-fedcba9876543210");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove target 2" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"schedule\\.html\\?id={id}$"));
        var target = Assert.Single((await sam.GetJsonAsync($"/v1/schedules/{id}")).GetProperty("deliverTo").EnumerateArray());
        Assert.Equal(("webhook", "https://chat.example.org/…"), (target.Text("type"), target.Text("url")));
    }

    [Theory]
    [InlineData("zoë", true, 1)]
    [InlineData("sam", false, 0)]
    public async Task Runs_LinkTheirWorkflowInTheTemporalWebUi_ForAdminsOnly_WhateverScriptTheirTokenIsIn(string userId, bool admin, int links)
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start, settings: ("Temporal:UiUrl", "http://temporal-ui.example.test"));
        var token = ApiHost.Token(userId, admin);
        using var user = web.Api.Anonymous();
        user.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var id = (await user.CreateScheduleAsync(ScheduleBodies.Weekdays())).Id();
        (await user.PostAtAsync($"/v1/schedules/{id}/run")).EnsureSuccessStatusCode();
        var page = web.Page;
        await page.GotoAsync("/sign-in.html");
        await page.EvaluateAsync("([userId, accessToken]) => sessionStorage.setItem('recaps.session', JSON.stringify({ userId, accessToken }))", new[] { userId, token });

        await page.GotoAsync($"/schedule.html?id={id}");

        var runs = page.GetByRole(AriaRole.Table).Filter(new() { HasText = "Newest first" });
        await Expect(runs.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("pending");
        await Expect(runs.GetByRole(AriaRole.Link, new() { Name = "Workflow in Temporal" })).ToHaveCountAsync(links);
    }

    /// <summary>Signs in and opens the schedule's page from the list, as a person does.</summary>
    private static async Task<IPage> OpenAsync(WebAppSession web, string userId, string title)
    {
        await web.SignInAsync(userId);
        await web.Page.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await Expect(web.Page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        return web.Page;
    }

    private static string[] Texts(System.Text.Json.JsonElement element, string property) =>
        [.. element.GetProperty(property).EnumerateArray().Select(item => item.GetString()!)];
}
