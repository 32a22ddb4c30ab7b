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
        await page.GotoAsync("/new.html");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Next runs" }).GetByRole(AriaRole.Listitem).First).ToBeVisibleAsync();
        violations.AddRange(await SeriousViolationsAsync(page));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create schedule" }).ClickAsync();
        await Expect(page.GetByLabel("Title", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
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
