using System.Diagnostics.Metrics;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Testing;
using Npgsql;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Generation;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Telemetry;
using Temporalio.Testing;

namespace Recaps.Tests.RecapRuns;

/// <summary>
/// A database of its own with the real repositories, chat store and generator, a fake clock, and
/// the activities run through Temporal's <see cref="ActivityEnvironment"/> as a worker would run them.
/// </summary>
internal sealed class RecapWorld : IAsyncDisposable
{
    public static readonly Instant Start = Instant.FromUtc(2026, 3, 2, 0, 0); // a Monday

    // A meter factory of the world's own, so what it measures is told apart from tests running alongside.
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private RecapWorld(NpgsqlDataSource dataSource)
    {
        DataSource = dataSource;
        Clock = new FakeClock(Start);
        Schedules = new ScheduleRepository(dataSource, Clock, Wakeups);
        Runs = new RunRepository(dataSource, Clock, TimeZoneData.BuiltIn, Wakeups);
        Recaps = new RecapRepository(dataSource);
        Chat = new PostgresChatStore(dataSource, Clock);
        Spend = new AgentTokenSpend(dataSource);
        MeterFactory = _meters.GetRequiredService<IMeterFactory>();
        Metrics = new RecapsMetrics(MeterFactory, TimeZoneData.BuiltIn);
        Deliveries = new RecapDeliveryStore(dataSource);
        UserTargets = new UserDeliveryStore(dataSource);
    }

    public NpgsqlDataSource DataSource { get; }

    public FakeClock Clock { get; }

    /// <summary>Raised by the repositories after they commit outbox rows.</summary>
    public OutboxWakeups Wakeups { get; } = new();

    public ScheduleRepository Schedules { get; }

    public RunRepository Runs { get; }

    public RecapRepository Recaps { get; }

    public PostgresChatStore Chat { get; }

    public AgentTokenSpend Spend { get; }

    public RecapsOptions Options { get; } = new();

    public RecapDeliveryStore Deliveries { get; }

    public UserDeliveryStore UserTargets { get; }

    /// <summary>Webhooks may reach the loopback receivers; a test turns it off to see the refusal.</summary>
    public DeliveryOptions Delivery { get; } = new() { AllowPrivateWebhookAddresses = true };

    /// <summary>A loopback SMTP receiver's port goes in <see cref="SmtpOptions.Port"/>.</summary>
    public SmtpOptions Smtp { get; } = new() { Host = "127.0.0.1", Security = SecureSocketOptions.None, From = "recaps@example.com" };

    public IMeterFactory MeterFactory { get; }

    public RecapsMetrics Metrics { get; }

    public static async Task<RecapWorld> CreateAsync(PostgresFixture postgres) => new(await postgres.NewDatabaseAsync());

    public static RecapWorld On(NpgsqlDataSource dataSource) => new(dataSource);

    public RecapActivities Activities(IChatSource? chat = null, IRecapGenerator? generator = null, ILogger<RecapActivities>? logger = null) => new(
        Schedules, Runs, Recaps, chat ?? Chat, new RecapGenerators([generator ?? new ExtractiveRecapGenerator()]), Writer(chat), Router(),
        Microsoft.Extensions.Options.Options.Create(Options), Clock, Metrics, logger ?? NullLogger<RecapActivities>.Instance);

    public DeliveryActivities DeliveryActivities()
    {
        var delivery = Microsoft.Extensions.Options.Options.Create(Delivery);
        return new(
            Recaps, Router(), Deliveries, new WebhookSender(new HttpClient(WebhookSender.Handler(delivery)), Clock, delivery),
            new EmailSender(Microsoft.Extensions.Options.Options.Create(Smtp)), delivery, Clock, Metrics, NullLogger<DeliveryActivities>.Instance);
    }

    public DeliveryRouter Router() => new(Recaps, Schedules, UserTargets, Deliveries, Clock, Metrics);

    public RecapWriter Writer(IChatSource? chat = null) =>
        new(chat ?? Chat, Spend, Microsoft.Extensions.Options.Options.Create(Options), Clock, Metrics, NullLogger<RecapWriter>.Instance);

    public static Task<T> RunActivity<T>(Func<Task<T>> activity) => new ActivityEnvironment().RunAsync(activity);

    /// <summary>Every day at <paramref name="time"/> (default 09:00) in <paramref name="zone"/>; no channels means allUnreads.</summary>
    public static ScheduleIntent Daily(string[] channels, LocalTime? time = null, string zone = "America/New_York", bool recurring = true) => new(
        "Standup digest", WeekdaySet.Of(WeekdaySet.Week), time ?? new LocalTime(9, 0), zone,
        channels.Length == 0 ? ChannelMode.AllUnreads : ChannelMode.Specific, channels, recurring, ExtractiveRecapGenerator.Name, null);

    /// <summary>The workflow id Temporal gives a scheduled start: the prefix and the nominal time.</summary>
    public static string ScheduledWorkflowId(Guid scheduleId, Instant nominal) =>
        $"recap-{scheduleId}-{nominal.ToDateTimeOffset():yyyy-MM-ddTHH:mm:ssZ}";

    public static ResolveChannelsInput Scheduled(StoredSchedule schedule, Instant nominal) =>
        new(schedule.Id, ScheduledWorkflowId(schedule.Id, nominal), nominal, null);

    public static IReadOnlyList<Occurrence> Occurrences(StoredSchedule schedule, int count) =>
        RecurrenceEngine.Next(schedule.RecurrenceIn(TimeZoneData.BuiltIn), Start, count);

    /// <summary>Runs an occurrence through the three activities as the workflow would.</summary>
    public async Task<(ResolvedOccurrence Occurrence, GeneratedRecap? Recap)> RunOccurrenceAsync(ResolveChannelsInput input, RecapActivities? activities = null)
    {
        activities ??= Activities();
        var resolved = await RunActivity(() => activities.ResolveChannelsAsync(input));
        if (resolved.Skipped)
        {
            return (resolved, null);
        }

        var recap = await RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId)));
        await RunActivity(() => activities.MarkExecutedAsync(new(resolved.RunId)));
        return (resolved, recap);
    }

    public async Task<long> CountAsync(string sql, params object[] args)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _meters.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
