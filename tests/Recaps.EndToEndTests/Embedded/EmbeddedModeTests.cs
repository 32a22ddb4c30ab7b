using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Recaps.Api.Auth;
using Recaps.Api.Embedded;
using Recaps.ServiceDefaults;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Sync;
using Temporalio.Client;

namespace Recaps.Tests.Embedded;

public sealed class EmbeddedModeTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _contentRoot = Directory.CreateTempSubdirectory("recaps-content-").FullName;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string DataFolder => Path.Combine(_contentRoot, ".recaps");

    [Fact]
    public async Task Production_WithNothingConfigured_StartsNoDependencyAndFailsNamingTheDatabaseSetting()
    {
        var builder = Builder(Environments.Production);

        await using var embedded = await EmbeddedMode.StartAsync(builder, Cancel);
        await using var app = builder.Build();
        var error = await Assert.ThrowsAsync<SettingException>(() => app.StartAsync(Cancel));

        Assert.Null(embedded);
        Assert.False(Directory.Exists(DataFolder));
        Assert.Null(app.Services.GetService<ITemporalClient>());
        Assert.Equal("ConnectionStrings:Recaps is required: set it in appsettings or as ConnectionStrings__Recaps.", error.Message);
    }

    [Fact]
    public async Task Production_WithoutAuth_FailsNamingTheAuthSettings()
    {
        var builder = Builder(Environments.Production, ("ConnectionStrings:Recaps", await postgres.Server.CreateDatabaseAsync()));

        await using var embedded = await EmbeddedMode.StartAsync(builder, Cancel);
        await using var app = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(Cancel));

        Assert.Null(embedded);
        Assert.False(Directory.Exists(DataFolder));
        Assert.Contains("Auth:SigningKey (HS256, at least 32 bytes) or Auth:Authority (an OIDC issuer) is required.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_WithDependenciesConfigured_UsesThemAndRunsWorkerSyncAndDemoData()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var builder = Builder(Environments.Development, ("ConnectionStrings:Recaps", database), ("Temporal:Address", "127.0.0.1:1"), ("Temporal:UiUrl", "http://temporal-ui.test:8080"));

        await using var embedded = await EmbeddedMode.StartAsync(builder, Cancel);
        await using var app = builder.Build();
        var hosted = app.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();
        // A configured dependency that is down fails the start at once, naming it.
        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => app.StartAsync(Cancel));

        Assert.NotNull(embedded);
        Assert.Equal("as configured (ConnectionStrings:Recaps)", embedded.DatabaseDescription);
        Assert.Equal("as configured (Temporal:Address)", embedded.TemporalDescription);
        Assert.Equal(new Uri("http://temporal-ui.test:8080"), embedded.TemporalUiUrl);
        Assert.Equal(database, app.Configuration.GetConnectionString("Recaps"));
        Assert.NotNull(app.Services.GetService<ITemporalClient>());
        Assert.Contains(nameof(ScheduleSyncService), hosted);
        Assert.Contains(nameof(ScheduleReconciler), hosted);
        Assert.Contains("DemoData", hosted);
        Assert.StartsWith("Temporal at 127.0.0.1:1 (Temporal:Address) is unreachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_WithoutAuth_KeepsOneSigningKeyInTheDataFolderAcrossStarts()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var keys = new List<string?>();
        for (var start = 0; start < 2; start++)
        {
            var builder = Builder(Environments.Development, ("ConnectionStrings:Recaps", database), ("Temporal:Address", "127.0.0.1:1"));
            await using var embedded = await EmbeddedMode.StartAsync(builder, Cancel);
            keys.Add(builder.Configuration["Auth:SigningKey"]);
        }

        Assert.NotNull(keys[0]);
        Assert.True(keys[0]!.Length >= AuthOptions.MinSigningKeyBytes);
        Assert.Equal(keys[0], keys[1]);
        var file = Path.Combine(DataFolder, "signing-key");
        Assert.Equal(keys[0], (await File.ReadAllTextAsync(file, Cancel)).Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task Development_SecondInstanceOnTheSameDataFolder_IsRefusedBeforeStartingAnything()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var first = Builder(Environments.Development, ("ConnectionStrings:Recaps", database), ("Temporal:Address", "127.0.0.1:1"));
        await using var running = await EmbeddedMode.StartAsync(first, Cancel);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => EmbeddedMode.StartAsync(Builder(Environments.Development), Cancel));

        Assert.StartsWith($"Another Recaps in embedded mode is using {DataFolder}.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recaps__Embedded__DataFolder=<folder>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Banner_NamesEveryAddressAndAWorkingToken()
    {
        var builder = Builder(Environments.Development, ("ConnectionStrings:Recaps", "Host=localhost"), ("Temporal:Address", "127.0.0.1:1"), ("Temporal:UiUrl", "http://localhost:8233"));
        await using var embedded = await EmbeddedMode.StartAsync(builder, Cancel);
        var auth = new AuthOptions { SigningKey = builder.Configuration["Auth:SigningKey"] };

        var banner = EmbeddedBanner.Text("http://[::]:5080", embedded!, auth, DateTime.UtcNow);

        Assert.Contains("API:         http://localhost:5080\n", banner, StringComparison.Ordinal);
        Assert.Contains("API docs:    http://localhost:5080/docs\n", banner, StringComparison.Ordinal);
        Assert.Contains("Temporal UI: http://localhost:8233/\n", banner, StringComparison.Ordinal);
        Assert.Contains($"the data stays in {DataFolder}", banner, StringComparison.Ordinal);
        var token = banner.Split('\n').Single(line => line.Contains("export TOKEN=", StringComparison.Ordinal)).Split("export TOKEN=")[1];
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey!)),
        });
        Assert.True(validated.IsValid, validated.Exception?.Message);
        Assert.Equal(DemoIdentity.User, validated.Claims["sub"]);
        Assert.Equal("admin", validated.Claims["role"]);
    }

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);

    private WebApplicationBuilder Builder(string environment, params (string Key, string? Value)[] settings) =>
        EmbeddedHosts.Builder(environment, _contentRoot, settings.Select(s => KeyValuePair.Create(s.Key, s.Value)));
}
