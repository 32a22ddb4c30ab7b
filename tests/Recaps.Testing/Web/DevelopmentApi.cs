using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using NodaTime.Testing;
using Npgsql;
using Recaps.Api.Hosting;
using Recaps.Tests.Api;
using Recaps.Tests.Embedded;
using Recaps.Workflows.Chat;

namespace Recaps.Tests.Web;

/// <summary>
/// The API as <c>dotnet run</c> serves it in Development (the web app at <c>/</c>, the demo sign-in)
/// on a real loopback port, so a browser can reach it, on its own fresh database and a fake clock;
/// without embedded mode's worker and dependencies, which nothing here needs.
/// </summary>
internal sealed class DevelopmentApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DevelopmentApi(WebApplication app, FakeClock clock)
    {
        _app = app;
        Clock = clock;
        BaseAddress = new Uri(app.Urls.First());
    }

    public Uri BaseAddress { get; }

    public FakeClock Clock { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The API's database, for what happens to a schedule outside the API (<see cref="ApiWorld"/>).</summary>
    public NpgsqlDataSource Database => _app.Services.GetRequiredService<NpgsqlDataSource>();

    public static async Task<DevelopmentApi> StartAsync(
        PostgresFixture postgres, Instant now, string? environment = null, params (string Key, string? Value)[] settings)
    {
        var clock = new FakeClock(now);
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Recaps"] = await postgres.Server.CreateDatabaseAsync(),
            ["Auth:SigningKey"] = ApiHost.SigningKey,
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        var builder = EmbeddedHosts.Builder(environment ?? Environments.Development, AppContext.BaseDirectory, configuration);
        builder.Services.AddSingleton<IClock>(clock);
        var app = builder.Build();
        app.UseRecapsApi();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new DevelopmentApi(app, clock);
    }

    /// <summary>A client of this API whose bearer token names <paramref name="userId"/>.</summary>
    public HttpClient As(string userId)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.Token(userId));
        return client;
    }

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    /// <summary>A channel of the built-in chat store that <paramref name="memberIds"/> can read.</summary>
    public Task ChannelAsync(string id, string name, params string[] memberIds) =>
        Services.GetRequiredService<PostgresChatStore>().UpsertChannelAsync(id, name, memberIds, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TestContext.Current.CancellationToken);
        await _app.DisposeAsync();
    }
}
