using NodaTime;
using Recaps.Workflows.Storage;
using Recaps.Workflows.Telemetry;

namespace Recaps.Workflows.Delivery;

/// <summary>
/// Routes a stored recap once: its schedule's <c>deliverTo</c>, else its user's targets (in-app when they
/// never chose), as they are now. Routing again finds the routes already stored, so a retried activity
/// (or a run whose workflow routes twice across a deployment) sends nothing twice.
/// </summary>
public sealed class DeliveryRouter(
    RecapRepository recaps, ScheduleRepository schedules, UserDeliveryStore users, RecapDeliveryStore deliveries, IClock clock, RecapsMetrics metrics)
{
    /// <summary>The recap's deliveries still to send, by id; none when it was purged since.</summary>
    public async Task<IReadOnlyList<Guid>> RouteAsync(Guid recapId, CancellationToken cancellationToken)
    {
        if (await recaps.GetAsync(recapId, cancellationToken) is not { } recap)
        {
            return [];
        }

        var schedule = await schedules.GetAsync(recap.ScheduleId, cancellationToken);
        var targets = schedule?.Intent.DeliverTo ?? await users.GetAsync(recap.UserId, cancellationToken);
        var (planned, first) = await deliveries.PlanOnceAsync(recap, targets, clock.GetCurrentInstant(), cancellationToken);
        if (first)
        {
            foreach (var inApp in planned.Where(d => d.Status == DeliveryStatus.Delivered))
            {
                metrics.Delivery(inApp.Target.Type, inApp.Status.ToText());
            }
        }

        return [.. planned.Where(d => d.Status == DeliveryStatus.Pending).Select(d => d.Id)];
    }
}
