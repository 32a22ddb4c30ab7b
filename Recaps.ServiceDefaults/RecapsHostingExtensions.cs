using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Generation.Agents;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Telemetry;
using Recaps.Workflows.Temporal;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;
using Temporalio.Runtime;

namespace Recaps.ServiceDefaults;

public static class RecapsHostingExtensions
{
    public const string ConnectionStringName = "Recaps";

    /// <summary>The schema owner's connection, for migrations only; unset, they run on <see cref="ConnectionStringName"/>.</summary>
    public const string MigrationsConnectionStringName = "RecapsMigrations";

    public static readonly TimeSpan GracefulShutdown = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Options, the database (migrated at start-up), the chat store, the generators and the
    /// repositories: everything both hosts share.
    /// </summary>
    public static IHostApplicationBuilder AddRecapsCore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddCheckedOptions<RecapsOptions>(RecapsOptions.Section, o => o.Problems());
        services.AddCheckedOptions<DeliveryOptions>(DeliveryOptions.Section, o => o.Problems());

        services.AddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<RecapsOptions>>().Value.TimeZones.DataFile is { } dataFile
            ? TimeZoneData.Load(dataFile)
            : TimeZoneData.BuiltIn);
        services.AddMetrics();
        services.AddSingleton<RecapsMetrics>();
        services.AddSingleton(provider => RecapsDataSource.Create(
            provider.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName) is { Length: > 0 } connectionString
                ? connectionString
                : throw new SettingException(
                    $"ConnectionStrings:{ConnectionStringName} is required: set it in appsettings or as ConnectionStrings__{ConnectionStringName}.")));
        services.AddHostedService<DatabaseMigrator>();
        services.AddSingleton<OutboxWakeups>();
        services.AddHostedService<OutboxNotifier>();

        services.AddSingleton<ScheduleRepository>();
        services.AddSingleton<RunRepository>();
        services.AddSingleton<RecapRepository>();
        services.AddSingleton<RecapFeedbackStore>();
        services.AddSingleton<UserDeliveryStore>();
        services.AddSingleton<RecapDeliveryStore>();
        services.AddSingleton<DeliveryRouter>();
        services.AddSingleton<PostgresChatStore>();
        services.AddSingleton<IChatSource>(provider => provider.GetRequiredService<PostgresChatStore>());
        // LLM agents by name; a bad one stops the process at start with the setting it names.
        services.AddCheckedOptions<Dictionary<string, AgentOptions>>(RecapAgents.Section, agents => RecapAgents.Problems(agents));
        services.AddSingleton(provider => new RecapGenerators(
            RecapAgents.Generators(provider.GetRequiredService<IOptions<Dictionary<string, AgentOptions>>>().Value, TimeProvider.System)));
        services.AddSingleton<AgentTokenSpend>();
        services.AddSingleton<RecapWriter>();
        services.AddSingleton<RecapRegenerations>();
        services.AddSingleton<RecapVersions>();
        return builder;
    }

    /// <summary>The Temporal client (with the NodaTime-aware converter) and a worker for <see cref="RecapWorkflow"/>.</summary>
    public static IHostApplicationBuilder AddRecapsWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddCheckedOptions<TemporalOptions>(TemporalOptions.Section, o => o.Problems());

        services.AddSingleton<TemporalSdkMeter>();
        // One runtime per process, as the SDK requires; it reports the SDK's metrics to the "Temporal" meter.
        services.AddSingleton(provider => new TemporalRuntime(new TemporalRuntimeOptions(new TelemetryOptions
        {
            Metrics = new MetricsOptions
            {
                CustomMetricMeter = provider.GetRequiredService<TemporalSdkMeter>(),
                CustomMetricMeterOptions = new() { HistogramDurationFormat = CustomMetricMeterOptions.DurationFormat.FloatSeconds },
            },
        })));
        services.AddTemporalClient(_ => { });
        services.AddOptions<TemporalClientConnectOptions>()
            .Configure<IOptions<TemporalOptions>, ILoggerFactory, TemporalRuntime>((connect, temporal, loggers, runtime) =>
            {
                var options = temporal.Value;
                connect.Runtime = runtime;
                connect.TargetHost = options.Address;
                connect.Namespace = options.Namespace;
                connect.DataConverter = RecapsDataConverter.Instance;
                connect.LoggerFactory = loggers;
                connect.ApiKey = options.ApiKey;
                if (options.Tls || options.ApiKey is not null || options.TlsClientCertPath is not null)
                {
                    connect.Tls = new TlsOptions
                    {
                        ClientCert = options.TlsClientCertPath is { } cert ? File.ReadAllBytes(cert) : null,
                        ClientPrivateKey = options.TlsClientKeyPath is { } key ? File.ReadAllBytes(key) : null,
                    };
                }
            });

        // Delivery of stored recaps: webhooks through a client that reaches public addresses only, email through SMTP.
        services.AddCheckedOptions<SmtpOptions>(SmtpOptions.Section, o => o.Problems());
        services.AddSingleton(provider => new WebhookSender(
            new HttpClient(WebhookSender.Handler(provider.GetRequiredService<IOptions<DeliveryOptions>>()))
            {
                Timeout = provider.GetRequiredService<IOptions<DeliveryOptions>>().Value.WebhookTimeout,
            },
            provider.GetRequiredService<IClock>(),
            provider.GetRequiredService<IOptions<DeliveryOptions>>()));
        services.AddSingleton<EmailSender>();

        services.AddHostedService<TemporalConnectionCheck>();
        services.AddHealthChecks().AddCheck<TemporalHealthCheck>("temporal", tags: [RecapsHealthHostingExtensions.ReadyTag]);

        // The task queue names the worker at registration, before options exist; read it from configuration.
        var taskQueue = builder.Configuration[$"{TemporalOptions.Section}:{nameof(TemporalOptions.TaskQueue)}"] ?? TemporalOptions.DefaultTaskQueue;
        services.AddHostedTemporalWorker(taskQueue)
            .AddScopedActivities<RecapActivities>()
            .AddScopedActivities<DeliveryActivities>()
            .AddWorkflow<RecapWorkflow>()
            .AddScopedActivities<RegenerationActivities>()
            .AddWorkflow<RegenerateRecapWorkflow>()
            .ConfigureOptions()
            .Configure<IOptions<TemporalOptions>>((worker, temporal) =>
            {
                worker.GracefulShutdownTimeout = GracefulShutdown;
                worker.MaxCachedWorkflows = temporal.Value.MaxCachedWorkflows;
            });

        // On stop, running activities get time to finish; what does not is retried by Temporal elsewhere.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = GracefulShutdown + TimeSpan.FromSeconds(10));
        return builder;
    }

    /// <summary>Binds a section and fails start-up with every problem the options report, each naming its setting.</summary>
    public static IServiceCollection AddCheckedOptions<T>(this IServiceCollection services, string section, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ProblemsValidator<T>(problems));
        return services;
    }

    /// <summary>Turns an options type's <c>Problems()</c> into a start-up failure that lists them all.</summary>
    private sealed class ProblemsValidator<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var found = problems(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
