using Recaps.Workflows.Domain;

namespace Recaps.Workflows.Delivery;

/// <summary>Where one delivery of a recap to one target stands. Only <see cref="Pending"/> moves, and only once.</summary>
public enum DeliveryStatus
{
    /// <summary>Planned, not yet sent (or sent and being retried).</summary>
    Pending,

    /// <summary>The target took it (an in-app delivery is delivered when planned).</summary>
    Delivered,

    /// <summary>Given up, with the error: refused for good, or still failing when the attempts ran out.</summary>
    Failed,
}

/// <summary>The text of a <see cref="DeliveryStatus"/>, as stored and as the API shows it.</summary>
public static class DeliveryStatusText
{
    private static readonly StateText<DeliveryStatus> Texts = new(ToText);

    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<DeliveryStatus>().Select(ToText)];

    public static string ToText(this DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "pending",
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Failed => "failed",
        _ => throw StateText<DeliveryStatus>.OutOfRange(status),
    };

    /// <exception cref="UnknownStateTextException">No status has <paramref name="text"/>.</exception>
    public static DeliveryStatus Parse(string text) => Texts.Parse(text);
}
