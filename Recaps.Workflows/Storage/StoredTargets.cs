using System.Text.Json;
using Recaps.Workflows.Delivery;

namespace Recaps.Workflows.Storage;

/// <summary>Delivery targets as stored (<c>user_delivery.targets</c>, <c>schedules.deliver_to</c>, <c>recap_deliveries.target</c>): secrets included.</summary>
public static class StoredTargets
{
    public static string Write(IReadOnlyList<DeliveryTarget> targets) => JsonSerializer.Serialize(targets.Select(ToStored));

    public static string Write(DeliveryTarget target) => JsonSerializer.Serialize(ToStored(target));

    public static List<DeliveryTarget> Read(string json) => [.. JsonSerializer.Deserialize<List<StoredTarget>>(json)!.Select(FromStored)];

    public static DeliveryTarget ReadOne(string json) => FromStored(JsonSerializer.Deserialize<StoredTarget>(json)!);

    private static StoredTarget ToStored(DeliveryTarget target) => target switch
    {
        WebhookTarget webhook => new StoredTarget(webhook.Type, webhook.Url.OriginalString, webhook.Secret, null),
        EmailTarget email => new StoredTarget(email.Type, null, null, email.Address),
        InAppTarget inApp => new StoredTarget(inApp.Type, null, null, null),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target.Type, "Not a delivery target Recaps can store."),
    };

    private static DeliveryTarget FromStored(StoredTarget target) => target.Type switch
    {
        DeliveryTypes.InApp => new InAppTarget(),
        DeliveryTypes.Webhook => new WebhookTarget(new Uri(target.Url!), target.Secret!),
        DeliveryTypes.Email => new EmailTarget(target.Address!),
        _ => throw new InvalidOperationException($"A stored delivery target has the unknown type '{target.Type}'."),
    };

    private sealed record StoredTarget(string Type, string? Url, string? Secret, string? Address);
}
