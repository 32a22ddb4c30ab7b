using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Recaps.ServiceDefaults;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;

namespace Recaps.Tests.Hosting;

public class WorkerHostTests(PostgresFixture postgres)
{
    [Fact]
    public void WorkerHost_WithConfiguration_ConnectsToConfiguredTemporalWithTheNodaTimeConverter()
    {
        using var host = BuildWorker(new()
        {
            ["ConnectionStrings:Recaps"] = "Host=localhost",
            ["Temporal:Address"] = "temporal.internal:7233",
            ["Temporal:Namespace"] = "recaps-prod",
        });

        var connect = host.Services.GetRequiredService<IOptions<TemporalClientConnectOptions>>().Value;

        Assert.Equal("temporal.internal:7233", connect.TargetHost);
        Assert.Equal("recaps-prod", connect.Namespace);
        Assert.Same(RecapsDataConverter.Instance, connect.DataConverter);
        Assert.Null(connect.Tls);
        // The one runtime of the process, whose SDK metrics go to the scraped "Temporal" meter.
        Assert.Same(host.Services.GetRequiredService<Temporalio.Runtime.TemporalRuntime>(), connect.Runtime);
    }

    [Fact]
    public void WorkerHost_WithApiKey_TurnsTlsOn()
    {
        using var host = BuildWorker(new()
        {
            ["ConnectionStrings:Recaps"] = "Host=localhost",
            ["Temporal:Address"] = "ns.tmprl.cloud:7233",
            ["Temporal:ApiKey"] = "secret",
        });

        var connect = host.Services.GetRequiredService<IOptions<TemporalClientConnectOptions>>().Value;

        Assert.Equal("secret", connect.ApiKey);
        Assert.NotNull(connect.Tls);
    }

    [Theory]
    [InlineData(null, 1_000)]
    [InlineData("2000", 2_000)]
    [InlineData("0", 0)]
    public void WorkerHost_KeepsAsManyRunsInMemoryAsConfigured(string? configured, int cached)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Recaps"] = "Host=localhost", ["Temporal:Address"] = "temporal.internal:7233" };
        if (configured is not null)
        {
            settings["Temporal:MaxCachedWorkflows"] = configured;
        }

        using var host = BuildWorker(settings);

        // The hosting package names a worker's options after its task queue (no build id here).
        var worker = host.Services.GetRequiredService<IOptionsMonitor<TemporalWorkerServiceOptions>>().Get(TemporalOptions.DefaultTaskQueue);

        Assert.Equal(cached, worker.MaxCachedWorkflows);
        Assert.Equal(TemporalOptions.DefaultTaskQueue, worker.TaskQueue);
    }

    [Fact]
    public async Task WorkerHost_WithANegativeCache_FailsAtStartNamingTheSetting()
    {
        using var host = BuildWorker(new()
        {
            ["ConnectionStrings:Recaps"] = "Host=localhost",
            ["Temporal:Address"] = "temporal.internal:7233",
            ["Temporal:MaxCachedWorkflows"] = "-1",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Temporal:MaxCachedWorkflows must be 0 or more", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerHost_WithoutTemporalAddress_FailsAtStartNamingTheSetting()
    {
        using var host = BuildWorker(new() { ["ConnectionStrings:Recaps"] = "Host=localhost" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Temporal:Address is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerHost_TemporalUnreachable_FailsAtStartNamingTheAddress()
    {
        using var host = BuildWorker(new()
        {
            ["ConnectionStrings:Recaps"] = await postgres.Server.CreateDatabaseAsync(),
            ["Temporal:Address"] = "127.0.0.1:1",
        });

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith("Temporal at 127.0.0.1:1 (Temporal:Address) is unreachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_WithInvalidRecapsOptions_FailsAtStartListingEveryProblem()
    {
        using var host = BuildCore(new()
        {
            ["ConnectionStrings:Recaps"] = "Host=localhost",
            ["Recaps:Schedules:CatchupWindow"] = "00:00:01",
            ["Recaps:Limits:MaxPostsPerChannel"] = "0",
            ["Recaps:Limits:AbandonedRunAfter"] = "01:00:00",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Recaps:Schedules:CatchupWindow", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recaps:Limits:MaxPostsPerChannel", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recaps:Limits:AbandonedRunAfter must be longer than", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    // After claiming, the claim's activity may retry for its 2 h budget; generation takes up to 1 h, marking the run executed up to 2 h.
    [InlineData("04:00:00", false)]
    [InlineData("05:00:00", false)]
    [InlineData("05:00:01", true)]
    public void AbandonedRunAfter_MustOutlastTheLongestLegitimateRun(string abandonedRunAfter, bool accepted)
    {
        var options = new RecapsOptions { Limits = { AbandonedRunAfter = TimeSpan.Parse(abandonedRunAfter, CultureInfo.InvariantCulture) } };

        Assert.Equal(!accepted, options.Problems().Any(p => p.StartsWith("Recaps:Limits:AbandonedRunAfter", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Host_WithoutConnectionString_FailsAtStartNamingTheSetting()
    {
        using var host = BuildCore([]);

        var error = await Assert.ThrowsAsync<SettingException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("ConnectionStrings:Recaps is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_Start_MigratesAnEmptyDatabase()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        await using (var reset = dataSource.CreateCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        {
            await reset.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var host = BuildCore(new() { ["ConnectionStrings:Recaps"] = connectionString });
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        await using var check = host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)Workflows.Storage.MigrationRunner.All.Count, await check.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    private static IHost BuildCore(Dictionary<string, string?> settings) => Build(settings, worker: false);

    private static IHost BuildWorker(Dictionary<string, string?> settings) => Build(settings, worker: true);

    private static IHost Build(Dictionary<string, string?> settings, bool worker)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddRecapsCore();
        if (worker)
        {
            builder.AddRecapsWorker();
        }

        return builder.Build();
    }
}
