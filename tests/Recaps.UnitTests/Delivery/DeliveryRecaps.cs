using NodaTime;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Storage;

namespace Recaps.Tests.Delivery;

/// <summary>Stored recaps the delivery tests send.</summary>
internal static class DeliveryRecaps
{
    public static StoredRecap Standup(params ChannelRecap[] channels) => new(
        Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "alice", "Morning standup", "completed",
        Instant.FromUtc(2026, 12, 1, 14, 0), Instant.FromUtc(2026, 12, 2, 14, 0), Instant.FromUtc(2026, 12, 2, 14, 0, 5),
        channels.Length == 0 ? [Dev] : channels);

    public static readonly ChannelRecap Dev = new(
        "c-dev", "dev", 12,
        [new RecapItem("We decided to ship the release on Friday.", ["p1"])],
        [new RecapItem("Bob: please review the migration by tomorrow.", ["p2"])],
        null);
}
