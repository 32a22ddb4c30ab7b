using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using NodaTime;
using Recaps.Tests.Api;

namespace Recaps.Tests.Web;

/// <summary>
/// One test's web app: the API in Development on its own database, the demo users' channels, and a
/// fresh browser context (its own sessionStorage) in a zone of its own. Any console error
/// (a failed script, a request the Content-Security-Policy blocked) fails the test.
/// </summary>
internal sealed class WebAppSession : IAsyncDisposable
{
    private readonly List<string> _consoleErrors = [];

    private WebAppSession(DevelopmentApi api, IBrowserContext context, IPage page)
    {
        Api = api;
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            // A problem answer (4xx) is logged too; the page shows it, and the tests check what it shows.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal))
            {
                _consoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => _consoleErrors.Add(error);
    }

    public DevelopmentApi Api { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static async Task<WebAppSession> StartAsync(
        PostgresFixture postgres, ChromiumFixture chromium, Instant now, string timeZone = "Europe/Paris", string? environment = null,
        params (string Key, string? Value)[] settings)
    {
        var api = await DevelopmentApi.StartAsync(postgres, now, environment, settings);
        await api.ChannelAsync("general", "General", "demo", "sam", "lee");
        await api.ChannelAsync("engineering", "Engineering", "demo", "sam");
        await api.ChannelAsync("design", "Design", "demo", "lee");
        var context = await chromium.Browser.NewContextAsync(new() { BaseURL = api.BaseAddress.ToString(), TimezoneId = timeZone, Locale = "en-GB" });
        context.SetDefaultTimeout((float)ChromiumFixture.Patience.TotalMilliseconds);
        return new WebAppSession(api, context, await context.NewPageAsync());
    }

    /// <summary>The web app in Production, signing in at <paramref name="provider"/>, which knows it as its client.</summary>
    public static async Task<WebAppSession> StartAtProviderAsync(PostgresFixture postgres, ChromiumFixture chromium, FakeOidcProvider provider)
    {
        var web = await StartAsync(
            postgres, chromium, ApiHost.Start, environment: Environments.Production,
            settings: [("Auth:SigningKey", null), ("Auth:Authority", provider.Issuer), ("Auth:WebClientId", FakeOidcProvider.ClientId)]);
        provider.RegisterWebApp(web.Api.BaseAddress);
        return web;
    }

    /// <summary>Opens the app and signs in as <paramref name="userId"/> the way a person does: the sign-in page's button.</summary>
    public async Task SignInAsync(string userId)
    {
        await Page.GotoAsync("/");
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Sign in as {userId}" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Schedules", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>The caller's schedules as the API lists them: what was (not) stored.</summary>
    public async Task<JsonElement[]> SchedulesOfAsync(string userId)
    {
        using var client = Api.As(userId);
        return [.. (await client.GetJsonAsync("/v1/schedules")).GetProperty("items").EnumerateArray()];
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await Api.DisposeAsync();
        Assert.True(_consoleErrors.Count == 0, $"The browser console reported: {string.Join(" | ", _consoleErrors)}");
    }
}
