using NodaTime;

namespace Recaps.Workflows.Domain;

/// <summary>What validation needs to know about the world, gathered by the caller so the rules stay pure.</summary>
/// <param name="ReadableChannelIds">Channels the requesting user can read.</param>
/// <param name="Agents">Names of the configured recap generators.</param>
/// <param name="MaxChannelsPerSchedule">The <c>Recaps:Limits:MaxChannelsPerSchedule</c> setting.</param>
/// <param name="Zones">The tz database zone ids are checked against.</param>
/// <param name="Now">When the body is checked: skip dates that have passed in the schedule's zone are dropped.</param>
/// <param name="AllowHttpWebhooks">The <c>Recaps:Delivery:AllowPrivateWebhookAddresses</c> setting: webhook URLs may be http.</param>
public sealed record ValidationContext(
    IReadOnlySet<string> ReadableChannelIds,
    IReadOnlySet<string> Agents,
    int MaxChannelsPerSchedule,
    TimeZoneData Zones,
    Instant Now,
    bool AllowHttpWebhooks = false);
