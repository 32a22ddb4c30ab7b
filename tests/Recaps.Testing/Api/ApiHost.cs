using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using NodaTime.Testing;
using Npgsql;
using Recaps.Api.Auth;
using Recaps.Workflows.Storage;

namespace Recaps.Tests.Api;

/// <summary>
/// The real API (the whole ASP.NET Core pipeline, real JWT validation) on its own fresh database,
/// with a fake clock; clients carry tokens minted with the test signing key.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string SigningKey = "recaps-tests-signing-key-of-at-least-32-bytes";

    public const string Admin = "admin-1";

    public static readonly Instant Start = Instant.FromUtc(2026, 3, 2, 12, 0); // a Monday

    private readonly WebApplicationFactory<Program> _factory;

    private ApiHost(string connectionString, IReadOnlyDictionary<string, string?> settings, bool fakeClock = true)
    {
        Database = RecapsDataSource.Create(connectionString);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            // As in production: in Development the API would start embedded dependencies (EmbeddedMode).
            web.UseEnvironment(Environments.Production);
            web.UseSetting("ConnectionStrings:Recaps", connectionString);
            web.UseSetting("Auth:SigningKey", SigningKey);
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            if (fakeClock)
            {
                web.ConfigureTestServices(services => services.AddSingleton<IClock>(Clock));
            }
        });
    }

    public FakeClock Clock { get; } = new(Start);

    /// <summary>The API's services: the repositories and activities a worker would use on the same database and clock.</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>The API's database, for asserting what was (not) stored.</summary>
    public NpgsqlDataSource Database { get; }

    public static async Task<ApiHost> StartAsync(PostgresFixture postgres, params (string Key, string? Value)[] settings) =>
        On(await postgres.Server.CreateDatabaseAsync(), settings);

    public static ApiHost On(string connectionString, params (string Key, string? Value)[] settings) =>
        new(connectionString, settings.ToDictionary(s => s.Key, s => s.Value));

    /// <summary>
    /// The API on the system clock, beside a real worker and Temporal server that keep real time;
    /// <see cref="Clock"/> then drives nothing.
    /// </summary>
    public static ApiHost OnSystemClock(string connectionString, params (string Key, string? Value)[] settings) =>
        new(connectionString, settings.ToDictionary(s => s.Key, s => s.Value), fakeClock: false);

    /// <summary>A client whose bearer token names <paramref name="userId"/>, and the admin role when asked.</summary>
    public HttpClient As(string userId, bool admin = false) => WithToken(Token(userId, admin));

    public HttpClient Anonymous() => _factory.CreateClient();

    public HttpClient WithToken(string token)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static string Token(
        string? userId, bool admin = false, string signingKey = SigningKey, string audience = "recaps-api", DateTime? expires = null) =>
        // Token lifetimes are checked against the real clock, not the API's fake one.
        SigningKeyTokens.Mint(
            new AuthOptions { SigningKey = signingKey, Audience = audience }, userId, admin, expires?.AddHours(-2), expires ?? DateTime.UtcNow.AddHours(1));

    /// <summary>Rows in a table, to prove a refused request stored nothing.</summary>
    public async Task<long> CountAsync(string table)
    {
        await using var command = Database.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
