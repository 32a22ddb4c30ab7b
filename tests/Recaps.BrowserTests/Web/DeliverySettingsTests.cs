using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Recaps.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace Recaps.Tests.Web;

/// <summary>The caller's delivery targets: edited and saved, secrets write-only, errors next to their field.</summary>
public class DeliverySettingsTests(PostgresFixture postgres, ChromiumFixture chromium)
{
    private const string Secret = "whsec-0123456789abcdef";

    [Fact]
    public async Task Save_AWebhook_StoresIt_AndShowsOnlyItsHostAndThatASecretIsSet()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        await web.SignInAsync("sam");
        var page = web.Page;

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Delivery" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Target 1: In the app" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        var webhook = page.GetByRole(AriaRole.Group, new() { Name = "Target 2: Webhook" });
        await Expect(webhook.GetByLabel("Webhook URL")).ToBeFocusedAsync();
        await webhook.GetByLabel("Webhook URL").FillAsync("https://hooks.example.com/services/T000/B000");
        await webhook.GetByLabel("Secret").FillAsync(Secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved: In the app, Webhook.");
        using var sam = web.Api.As("sam");
        var targets = (await sam.GetJsonAsync("/v1/me/delivery")).GetProperty("targets");
        Assert.Equal(["inApp", "webhook"], targets.EnumerateArray().Select(t => t.Text("type")));
        Assert.Equal("https://hooks.example.com/…", targets[1].Text("url"));
        await page.ReloadAsync();
        var shown = page.GetByRole(AriaRole.Group, new() { Name = "Target 2: Webhook" });
        await Expect(shown).ToContainTextAsync("Set now: https://hooks.example.com/…");
        await Expect(shown).ToContainTextAsync("A secret is set; it is never shown.");
        await Expect(shown.GetByLabel("Secret")).ToHaveValueAsync("");
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_AnInvalidWebhookUrl_ShowsTheApisErrorNextToIt_AndStoresNothing()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        using var sam = web.Api.As("sam");
        var before = (await sam.GetJsonAsync("/v1/me/delivery")).GetRawText();
        var errors = await (await sam.PutAtAsync("/v1/me/delivery", new { targets = new object[] { new { type = "inApp" }, new { type = "webhook", url = "ftp://hooks.example.com/x", secret = Secret } } }))
            .ValidationProblemAsync("targets[1].url");
        await web.SignInAsync("sam");
        var page = web.Page;
        await page.GotoAsync("/delivery.html");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        var webhook = page.GetByRole(AriaRole.Group, new() { Name = "Target 2: Webhook" });
        await webhook.GetByLabel("Webhook URL").FillAsync("ftp://hooks.example.com/x");
        await webhook.GetByLabel("Secret").FillAsync(Secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var url = webhook.GetByLabel("Webhook URL");
        await Expect(url).ToHaveAccessibleDescriptionAsync(new Regex(Regex.Escape(errors.GetProperty("targets[1].url")[0].GetString()!)));
        await Expect(url).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(url).ToBeFocusedAsync();
        await Expect(webhook.GetByLabel("Secret")).ToHaveAttributeAsync("aria-invalid", "false");
        Assert.Equal(before, (await sam.GetJsonAsync("/v1/me/delivery")).GetRawText());
    }

    [Fact]
    public async Task Save_AnEmailInsteadOfTheApp_ReplacesTheTargets()
    {
        await using var web = await WebAppSession.StartAsync(postgres, chromium, ApiHost.Start);
        await web.SignInAsync("lee");
        var page = web.Page;
        await page.GotoAsync("/delivery.html");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add email" }).ClickAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Target 2: Email" }).GetByLabel("Email address").FillAsync("lee@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove target 1" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved: Email.");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Target 1: Email" }).GetByLabel("Email address")).ToHaveValueAsync("lee@example.com");
        using var lee = web.Api.As("lee");
        Assert.Equal("""{"targets":[{"type":"email","url":null,"address":"lee@example.com"}]}""", (await lee.GetJsonAsync("/v1/me/delivery")).GetRawText());
    }
}
