using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using NodaTime;
using Recaps.Tests.Api;

namespace Recaps.Tests.Web;

/// <summary>
/// One test's web app without Temporal: the API in Development on its own database and a fake clock,
/// the demo users' channels, and a fresh browser tab (<see cref="BrowserTab"/>).
/// </summary>
internal sealed class WebAppSession : IAsyncDisposable
{
    private readonly BrowserTab _tab;

    private WebAppSession(DevelopmentApi api, BrowserTab tab)
    {
        Api = api;
        _tab = tab;
    }

    public DevelopmentApi Api { get; }

    public IPage Page => _tab.Page;

    public static async Task<WebAppSession> StartAsync(
        PostgresFixture postgres, ChromiumFixture chromium, Instant now, string timeZone = "Europe/Paris", string? environment = null,
        params (string Key, string? Value)[] settings)
    {
        var api = await DevelopmentApi.StartAsync(postgres, now, environment, settings);
        await api.ChannelAsync("general", "General", "demo", "sam", "lee");
        await api.ChannelAsync("engineering", "Engineering", "demo", "sam");
        await api.ChannelAsync("design", "Design", "demo", "lee");
        return new WebAppSession(api, await BrowserTab.OpenAsync(chromium, api.BaseAddress, timeZone));
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

    /// <inheritdoc cref="BrowserTab.SignInAsync"/>
    public Task SignInAsync(string userId) => _tab.SignInAsync(userId);

    /// <summary>The caller's schedules as the API lists them: what was (not) stored.</summary>
    public async Task<JsonElement[]> SchedulesOfAsync(string userId)
    {
        using var client = Api.As(userId);
        return [.. (await client.GetJsonAsync("/v1/schedules")).GetProperty("items").EnumerateArray()];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _tab.DisposeAsync();
        }
        finally
        {
            await Api.DisposeAsync();
        }
    }
}
