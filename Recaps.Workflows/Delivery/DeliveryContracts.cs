namespace Recaps.Workflows.Delivery;

public sealed record PlanDeliveriesInput(Guid RecapId);

/// <summary>The recap's deliveries still to send, by id only: targets and their secrets stay in the database, out of the workflow's history.</summary>
public sealed record PlannedDeliveries(IReadOnlyList<Guid> Pending);

public sealed record DeliverRecapInput(Guid DeliveryId);

/// <summary>Where a delivery ended: <c>delivered</c> or <c>failed</c> with the error the user sees.</summary>
public sealed record DeliveryResult(string Status, string? Error);
