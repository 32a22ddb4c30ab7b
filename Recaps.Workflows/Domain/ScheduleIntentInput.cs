using Recaps.Workflows.Delivery;

namespace Recaps.Workflows.Domain;

/// <summary>The create/update body as it arrives, before validation; every field may be missing.</summary>
public sealed record ScheduleIntentInput(
    string? Title,
    IReadOnlyList<string?>? DaysOfWeek,
    string? TimeOfDay,
    string? TimeZone,
    string? ChannelMode,
    IReadOnlyList<string?>? ChannelIds,
    bool? Recurring,
    string? Agent,
    string? CustomInstructions,
    bool? SkipIfEmpty = null,
    IReadOnlyList<string?>? SkipDates = null,
    IReadOnlyList<DeliveryTargetInput?>? DeliverTo = null);
