using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Recaps.Testing;
using Recaps.Tests.RecapRuns;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Sync;
using Recaps.Workflows.Temporal;

namespace Recaps.Tests.Sync;

/// <summary>A <see cref="RecapWorld"/> with the sync and the reconciler over an in-memory Temporal.</summary>
internal sealed class SyncWorld : IAsyncDisposable
{
    private SyncWorld(RecapWorld world) => World = world;

    public RecapWorld World { get; }

    public InMemoryTemporalGateway Temporal { get; } = new();

    public SyncOptions Options { get; } = new() { PollInterval = TimeSpan.FromMinutes(5) };

    public ScheduleRepository Schedules => World.Schedules;

    public RunRepository Runs => World.Runs;

    public NodaTime.Testing.FakeClock Clock => World.Clock;

    public static async Task<SyncWorld> CreateAsync(PostgresFixture postgres) => new(await RecapWorld.CreateAsync(postgres));

    /// <summary>This deployment's owner mark, read from the world's database as the worker reads it.</summary>
    public ScheduleOwner Owner => field ??= new(World.DataSource, Microsoft.Extensions.Options.Options.Create(Options));

    /// <summary>The mark every schedule this world's sync writes carries.</summary>
    public Task<string> MarkAsync() => Owner.IdAsync(TestContext.Current.CancellationToken).AsTask();

    /// <summary>The tz database this world's sync and reconciler read zones from (a new one: a tzdb update).</summary>
    public TimeZoneData Zones { get; set; } = TimeZoneData.BuiltIn;

    public ScheduleChangeApplier Applier() =>
        new(Temporal, Owner, Zones, Microsoft.Extensions.Options.Options.Create(World.Options), Microsoft.Extensions.Options.Options.Create(new TemporalOptions()), Clock);

    /// <summary>A sync instance; several made from one world share its database and Temporal, as worker replicas do.</summary>
    public ScheduleSyncService Sync() => new(
        World.DataSource,
        Applier(),
        new OutboxListener(World.DataSource.ConnectionString),
        Microsoft.Extensions.Options.Options.Create(Options),
        Clock,
        World.Metrics,
        NullLogger<ScheduleSyncService>.Instance);

    /// <summary>Sends the wake-ups the world's repositories raise, as every Recaps process does.</summary>
    public OutboxNotifier Notifier() => new(World.Wakeups, World.DataSource, NullLogger<OutboxNotifier>.Instance);

    public ScheduleReconciler Reconciler() => new(
        World.DataSource, Temporal, Owner, Zones, Microsoft.Extensions.Options.Options.Create(Options),
        Microsoft.Extensions.Options.Options.Create(World.Options), Microsoft.Extensions.Options.Options.Create(new TemporalOptions()),
        Clock, World.Metrics, NullLogger<ScheduleReconciler>.Instance);

    public Task<int> SyncOnceAsync() => Sync().ProcessPendingOnceAsync(TestContext.Current.CancellationToken);

    public async Task<StoredSchedule> CreateAsync(bool recurring = true, LocalTime? time = null) =>
        await Schedules.CreateAsync("alice", RecapWorld.Daily(["dev"], time, recurring: recurring), TestContext.Current.CancellationToken);

    public async Task<StoredSchedule> GetAsync(Guid id) => (await Schedules.GetAsync(id, TestContext.Current.CancellationToken))!;

    public Task<long> UnprocessedAsync() => World.CountAsync("SELECT count(*) FROM schedule_outbox WHERE processed_at IS NULL");

    public static string TemporalId(StoredSchedule schedule) => TemporalScheduleSpecTranslator.ScheduleId(schedule.Id);

    /// <summary>The calls made for one schedule, as "operation" or "operation detail".</summary>
    public IReadOnlyList<string> CallsFor(StoredSchedule schedule) =>
        [.. Temporal.Calls.Where(c => c.ScheduleId == TemporalId(schedule)).Select(c => c.Detail is null ? c.Operation : $"{c.Operation} {c.Detail}")];

    public ValueTask DisposeAsync() => World.DisposeAsync();
}
