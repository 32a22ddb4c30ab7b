using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Recaps.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace Recaps.Tests.Web;

/// <summary>Every page, in the states a person sees it in, passes axe-core without a serious or critical violation; the keyboard alone gets through.</summary>
public class AccessibilityTests(PostgresFixture postgres, ChromiumFixture chromium)
{
    [Fact]
    public async Task EveryPage_WithContentAndErrorsShown_HasNoSeriousOrCriticalAxeViolations()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var demo = web.Api.As("demo");
        var held = await demo.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Held by ops"));
        await demo.CreateScheduleAsync(ScheduleBodies.Weekdays("general").With("title", "Standup digest"));
        await web.Api.Database.OperatorPauseAsync(held.Id(), web.Api.Clock.GetCurrentInstant(), "maintenance");
        var page = web.Page;
        var violations = new List<string>();

        await page.GotoAsync("/sign-in.html");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in as demo" })).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page));
        await web.SignInAsync("demo");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Held by ops" })).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page));
        await page.GetByRole(AriaRole.Link, new() { Name = "Held by ops" }).ClickAsync();
        await Expect(page.GetByText("Paused by an operator")).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page));
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Standup digest" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("pending");
        violations.AddRange(await SeriousViolationsAsync(page));
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page));
        await page.Keyboard.PressAsync("Escape");
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveValueAsync("Standup digest");
        violations.AddRange(await SeriousViolationsAsync(page));
        await page.GotoAsync("/new.html");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Next runs" }).GetByRole(AriaRole.Listitem).First).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page));
        await page.GetByLabel("Targets for this schedule only").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create schedule" }).ClickAsync();
        await Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Webhook URL")).ToHaveAttributeAsync("aria-invalid", "true");
        violations.AddRange(await SeriousViolationsAsync(page));

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task SignInPages_AtAnIdentityProvider_HaveNoSeriousOrCriticalAxeViolations()
    {
        await using var provider = await FakeOidcProvider.StartAsync();
        await using var web = await WebAppSession.StartAtProviderAsync(postgres, chromium, provider);
        var page = web.Page;
        var violations = new List<string>();

        await page.GotoAsync("/sign-in.html");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page));
        await page.GotoAsync("/signed-in.html?code=forged&state=none");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in again" })).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page));

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task SignInAtAnIdentityProvider_WithTheKeyboardOnly_ReachesTheSchedules()
    {
        await using var provider = await FakeOidcProvider.StartAsync();
        await using var web = await WebAppSession.StartAtProviderAsync(postgres, chromium, provider);
        var page = web.Page;

        await page.GotoAsync("/");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }));
        await page.Keyboard.PressAsync("Enter");
        await page.GetByLabel("User name").FillAsync("lee");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByText("Signed in as lee")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task RecapAndDeliveryPages_WithContentAndErrorsShown_HaveNoSeriousOrCriticalAxeViolations()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        var (_, recapId) = await web.StandupRecapAsync();
        await web.SignInAsync("sam");
        var page = web.Page;
        var violations = new List<string>();

        await page.GotoAsync("/recaps.html");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Standup digest" })).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page));
        await page.GotoAsync($"/recap.html?id={recapId}");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Cited post" }).First).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send feedback" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rating" })).ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "pending" })).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page));
        await page.GotoAsync("/delivery.html");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add email" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByLabel("Webhook URL")).ToHaveAttributeAsync("aria-invalid", "true");
        violations.AddRange(await SeriousViolationsAsync(page));

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task Feedback_WithTheKeyboardOnly_IsStored()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        var (_, recapId) = await web.StandupRecapAsync();
        await web.SignInAsync("sam");
        var page = web.Page;
        var keyboard = page.Keyboard;

        await TabToAsync(page, page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Recaps" }));
        await keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Standup digest" }));
        await keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByRole(AriaRole.Group, new() { Name = "Rating" }).GetByLabel("Up"));
        // Arrow keys move through a radio group and check what they reach.
        await keyboard.PressAsync("ArrowRight");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Rating" }).GetByLabel("Down")).ToBeCheckedAsync();
        await TabToAsync(page, page.GetByLabel("Comment", new() { Exact = true }));
        await keyboard.TypeAsync("Too long for a standup.");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Send feedback" }));
        await keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "feedback" })).ToHaveTextAsync("Thank you: your feedback (down) was saved.");
        using var sam = web.Api.As("sam");
        var feedback = (await sam.GetJsonAsync($"/v1/recaps/{recapId}")).GetProperty("feedback");
        Assert.Equal(("down", "Too long for a standup."), (feedback.Text("rating"), feedback.Text("comment")));
    }

    [Fact]
    public async Task SignInAndCreate_WithTheKeyboardOnly_StoresTheSchedule()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        var page = web.Page;
        var keyboard = page.Keyboard;

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in as lee" })).ToBeVisibleAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Sign in as lee" }));
        await keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "New schedule" }));
        await keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByLabel("Title", new() { Exact = true }));
        await keyboard.TypeAsync("Design digest");
        await TabToAsync(page, page.GetByRole(AriaRole.Group, new() { Name = "Channels" }).GetByLabel("Design"));
        await keyboard.PressAsync("Space");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Create schedule" }));
        await keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Design digest" })).ToBeVisibleAsync();
        var stored = Assert.Single(await web.SchedulesOfAsync("lee"));
        Assert.Equal(["design"], stored.GetProperty("channelIds").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task PauseAndResume_WithTheKeyboardOnly_ReachTheApi()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var lee = web.Api.As("lee");
        var id = (await lee.CreateScheduleAsync(ScheduleBodies.Weekdays("design").With("title", "Design digest"))).Id();
        await web.SignInAsync("lee");
        var page = web.Page;
        var keyboard = page.Keyboard;

        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Design digest" }));
        await keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByLabel("Reason for pausing"));
        await keyboard.TypeAsync("Away");
        await keyboard.PressAsync("Enter");
        await Expect(page.GetByText("Paused by you: Away")).ToBeVisibleAsync();
        Assert.Equal("paused", (await lee.GetJsonAsync($"/v1/schedules/{id}")).Text("status"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");

        await Expect(page.GetByLabel("Reason for pausing")).ToBeFocusedAsync();
        Assert.Equal("active", (await lee.GetJsonAsync($"/v1/schedules/{id}")).Text("status"));
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus, and checks the focus is visible there.</summary>
    private static async Task TabToAsync(IPage page, ILocator target)
    {
        await Expect(target).ToBeVisibleAsync();
        for (var presses = 0; presses < 40 && !await target.EvaluateAsync<bool>("e => e === document.activeElement"); presses++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Expect(target).ToBeFocusedAsync();
        Assert.NotEqual("none", await target.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
    }

    private static async Task<IEnumerable<string>> SeriousViolationsAsync(IPage page) =>
        (await page.RunAxe()).Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{page.Url}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target))}");
}
