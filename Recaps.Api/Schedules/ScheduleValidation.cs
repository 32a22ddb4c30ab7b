using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Api.Problems;
using Recaps.Workflows.Chat;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Generation;
using Recaps.Workflows.Storage;

namespace Recaps.Api.Schedules;

/// <summary>Gathers what the rules of a create/update body need to know about the caller, then applies them.</summary>
public sealed class ScheduleValidation(IChatSource chat, RecapGenerators generators, TimeZoneData zones, IOptions<RecapsOptions> options, IOptions<DeliveryOptions> delivery, IClock clock)
{
    public async Task<ValidationResult> ValidateAsync(ScheduleIntentInput body, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        // Only a body that names channels needs the caller's channel list.
        IReadOnlySet<string> readable = body is { ChannelMode: ChannelModes.Specific, ChannelIds.Count: > 0 }
            ? (await chat.ReadableChannelsAsync(userId, cancellationToken)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();
        var result = ScheduleIntentValidator.Validate(body, new ValidationContext(
            readable, generators.Agents, options.Value.Limits.MaxChannelsPerSchedule, zones, clock.GetCurrentInstant(), delivery.Value.AllowPrivateWebhookAddresses));
        // The free-text fields are stored as they are; other fields with a NUL fail their own rules.
        var unstorable = new ValidationErrors();
        StoredText.Check(unstorable, "title", body.Title);
        StoredText.Check(unstorable, "customInstructions", body.CustomInstructions, multiline: true);
        if (unstorable.Count == 0)
        {
            return result;
        }

        var errors = new Dictionary<string, string[]>(result.Errors, StringComparer.Ordinal);
        foreach (var (field, messages) in unstorable.ToDictionary())
        {
            errors[field] = [.. errors.GetValueOrDefault(field, []), .. messages];
        }

        return new ValidationResult(null, errors);
    }

    /// <summary>
    /// A digest of the validated intent, stored with an idempotency key: a retry of the same request
    /// (even spelled differently, e.g. day names in another case) matches; a different one does not.
    /// </summary>
    public static string Digest(ScheduleIntent intent, ScheduleIntentInput body)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(body);
        List<object?> canonical =
        [
            intent.Title, intent.DaysOfWeek.Bits, intent.TimeOfDay.ToString("HH':'mm", null), intent.TimeZoneId, intent.ChannelMode.ToWire(),
            string.Join('\u001f', intent.ChannelIds), intent.Recurring, intent.Agent, intent.CustomInstructions,
        ];
        // Fields added since join only when set, so a key stored before them still matches a replay of its body.
        if (intent.SkipIfEmpty)
        {
            canonical.Add("skipIfEmpty");
        }

        // The dates as asked, not as kept: one that has passed since is no longer stored, and a retry must still match.
        if (body.SkipDates is { Count: > 0 } dates)
        {
            canonical.Add($"skipDates={string.Join(',', dates.Order(StringComparer.Ordinal))}");
        }

        if (intent.DeliverTo is not null)
        {
            canonical.Add($"deliverTo={StoredTargets.Write(intent.DeliverTo)}");
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', canonical))));
    }
}
