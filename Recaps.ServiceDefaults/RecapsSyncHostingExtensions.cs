using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recaps.Workflows.Retention;
using Recaps.Workflows.Sync;

namespace Recaps.ServiceDefaults;

public static class RecapsSyncHostingExtensions
{
    /// <summary>
    /// The worker's upkeep: the schedule sync and the reconciler, over the Temporal client
    /// <see cref="RecapsHostingExtensions.AddRecapsWorker"/> registers, and the retention purge.
    /// </summary>
    public static IHostApplicationBuilder AddRecapsSync(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddCheckedOptions<SyncOptions>(SyncOptions.Section, o => o.Problems());
        services.AddSingleton<ITemporalScheduleGateway, TemporalScheduleGateway>();
        services.AddSingleton<ScheduleOwner>();
        services.AddSingleton<ScheduleAdoption>();
        services.AddSingleton<ScheduleChangeApplier>();
        services.AddSingleton(provider => new OutboxListener(
            provider.GetRequiredService<IConfiguration>().GetConnectionString(RecapsHostingExtensions.ConnectionStringName)!));
        services.AddHostedService<ScheduleSyncService>();
        services.AddHostedService<ScheduleReconciler>();
        services.AddCheckedOptions<RetentionOptions>(RetentionOptions.Section, o => o.Problems());
        services.AddHostedService<RetentionService>();
        return builder;
    }
}
