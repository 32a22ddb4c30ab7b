using Microsoft.Playwright;

namespace Recaps.Tests.Web;

/// <summary>
/// A fresh browser context (its own sessionStorage) on one app, in a zone of its own, with one page.
/// Any console error (a failed script, a request the Content-Security-Policy blocked) fails the test.
/// </summary>
internal sealed class BrowserTab : IAsyncDisposable
{
    private readonly List<string> _consoleErrors = [];

    private BrowserTab(IBrowserContext context, IPage page)
    {
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

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static async Task<BrowserTab> OpenAsync(ChromiumFixture chromium, Uri app, string timeZone)
    {
        var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.ToString(), TimezoneId = timeZone, Locale = "en-GB" });
        context.SetDefaultTimeout((float)ChromiumFixture.Patience.TotalMilliseconds);
        return new BrowserTab(context, await context.NewPageAsync());
    }

    /// <summary>Opens the app and signs in as <paramref name="userId"/> the way a person does: the sign-in page's button.</summary>
    public async Task SignInAsync(string userId)
    {
        await Page.GotoAsync("/");
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Sign in as {userId}" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Schedules", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Saves the page as <paramref name="name"/>.png in RECAPS_SCREENSHOTS (the README's pictures:
    /// <c>RECAPS_SCREENSHOTS=$PWD/docs/screenshots dotnet test tests/Recaps.BrowserTests --filter OnTemporalTests</c>),
    /// else beside the tests' build output.
    /// </summary>
    public async Task ScreenshotAsync(string name)
    {
        var folder = Environment.GetEnvironmentVariable("RECAPS_SCREENSHOTS") ?? Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"{name}.png");
        await Page.ScreenshotAsync(new() { Path = file, FullPage = true });
        Assert.True(new FileInfo(file).Length > 0, $"{file} is empty");
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        Assert.True(_consoleErrors.Count == 0, $"The browser console reported: {string.Join(" | ", _consoleErrors)}");
    }
}
