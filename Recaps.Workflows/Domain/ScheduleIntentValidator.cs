using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;
using Recaps.Workflows.Delivery;

namespace Recaps.Workflows.Domain;

/// <summary>The rules of a schedule's create/update body; errors are keyed by the camelCase field name.</summary>
public static partial class ScheduleIntentValidator
{
    public const int MaxTitleLength = 255;
    public const int MaxCustomInstructionsLength = 500;
    public const string DefaultAgent = "extractive";

    private static readonly LocalTimePattern HourMinute = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    public static ValidationResult Validate(ScheduleIntentInput input, ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var errors = new ValidationErrors();

        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title) || TextLength.Of(title) > MaxTitleLength)
        {
            errors.Add("title", $"title is required and must be 1–{MaxTitleLength} characters after trimming.");
        }

        var days = ValidateDays(input.DaysOfWeek, errors);
        var time = ValidateTime(input.TimeOfDay, errors);
        var zoneId = ValidateZone(input.TimeZone, context.Zones, errors);
        var (mode, channelIds) = ValidateChannels(input, context, errors);
        var recurring = input.Recurring ?? true;
        var skipDates = ValidateSkipDates(input.SkipDates, recurring, errors);

        var agent = input.Agent ?? DefaultAgent;
        if (!context.Agents.Contains(agent))
        {
            errors.Add("agent", $"agent must be one of the configured generators: {string.Join(", ", context.Agents.Order(StringComparer.Ordinal))}.");
        }

        if (input.CustomInstructions is { } instructions && TextLength.Of(instructions) > MaxCustomInstructionsLength)
        {
            errors.Add("customInstructions", $"customInstructions must be at most {MaxCustomInstructionsLength} characters.");
        }

        // Absent or null: the user's own targets, whatever they are when a recap is delivered.
        var deliverTo = input.DeliverTo is null ? null : DeliveryTargetRules.Check(input.DeliverTo, context.AllowHttpWebhooks, errors, "deliverTo");

        if (errors.Count > 0)
        {
            return ValidationResult.Invalid(errors);
        }

        return ValidationResult.Valid(new ScheduleIntent(
            title!, days, time, zoneId!, mode!.Value, channelIds, recurring, agent, input.CustomInstructions,
            input.SkipIfEmpty ?? false, skipDates.Current(context.Now, context.Zones.Zones[zoneId!]), deliverTo));
    }

    /// <summary>Errors name the date's index (<c>skipDates[2]</c>); the list as a whole is <c>skipDates</c>.</summary>
    private static SkipDateSet ValidateSkipDates(IReadOnlyList<string?>? values, bool recurring, ValidationErrors errors)
    {
        if (values is null || values.Count == 0)
        {
            return default;
        }

        if (!recurring)
        {
            errors.Add("skipDates", "skipDates must be empty when recurring is false: a one-time schedule runs once (pause or delete it instead).");
            return default;
        }

        if (values.Count > SkipDateSet.MaxCount)
        {
            errors.Add("skipDates", $"skipDates must list at most {SkipDateSet.MaxCount} dates.");
            return default;
        }

        var dates = new List<LocalDate>();
        for (var i = 0; i < values.Count; i++)
        {
            var (field, text) = ($"skipDates[{i}]", values[i]);
            if (text is null || !DateShape().IsMatch(text) || SkipDateSet.Pattern.Parse(text) is not { Success: true } parsed)
            {
                errors.Add(field, $"'{text}' is not a date: skip dates are local dates in the schedule's time zone, yyyy-MM-dd (e.g. 2026-12-24).");
            }
            else if (dates.Contains(parsed.Value))
            {
                errors.Add(field, $"'{text}' is listed more than once; skip dates must be distinct.");
            }
            else
            {
                dates.Add(parsed.Value);
            }
        }

        return new SkipDateSet(dates);
    }

    private static WeekdaySet ValidateDays(IReadOnlyList<string?>? names, ValidationErrors errors)
    {
        if (names is null || names.Count == 0)
        {
            errors.Add("daysOfWeek", "daysOfWeek must name at least one day.");
            return default;
        }

        var set = default(WeekdaySet);
        foreach (var name in names)
        {
            var day = WeekdaySet.Week.FirstOrDefault(d => string.Equals(WeekdaySet.NameOf(d), name, StringComparison.OrdinalIgnoreCase));
            if (day == IsoDayOfWeek.None)
            {
                errors.Add("daysOfWeek", $"'{name}' is not an English day name (monday … sunday).");
            }
            else if (set.Contains(day))
            {
                errors.Add("daysOfWeek", $"'{name}' is listed more than once; days must be distinct.");
            }
            else
            {
                set = set.With(day);
            }
        }

        return set;
    }

    private static LocalTime ValidateTime(string? value, ValidationErrors errors)
    {
        if (value is not null && HourMinuteShape().IsMatch(value) && HourMinute.Parse(value) is { Success: true } parsed)
        {
            return parsed.Value;
        }

        errors.Add("timeOfDay", "timeOfDay must be exactly HH:mm, from 00:00 to 23:59.");
        return default;
    }

    private static string? ValidateZone(string? value, TimeZoneData zones, ValidationErrors errors)
    {
        if (value is not null && zones.Zones.GetZoneOrNull(value) is not null)
        {
            return value;
        }

        errors.Add("timeZone", $"timeZone must be an IANA tz database id such as America/New_York ('{value}' is not one).");
        return null;
    }

    private static (ChannelMode? Mode, IReadOnlyList<string> Ids) ValidateChannels(
        ScheduleIntentInput input, ValidationContext context, ValidationErrors errors)
    {
        var mode = ChannelModes.FromWire(input.ChannelMode);
        var ids = input.ChannelIds ?? [];
        switch (mode)
        {
            case null:
                errors.Add("channelMode", $"channelMode must be '{ChannelModes.Specific}' or '{ChannelModes.AllUnreads}'.");
                return (null, []);
            case ChannelMode.AllUnreads when ids.Count > 0:
                errors.Add("channelIds", $"channelIds must be empty when channelMode is '{ChannelModes.AllUnreads}'.");
                return (mode, []);
            case ChannelMode.AllUnreads:
                return (mode, []);
        }

        if (ids.Count == 0 || ids.Count > context.MaxChannelsPerSchedule)
        {
            errors.Add("channelIds", $"channelIds must list 1–{context.MaxChannelsPerSchedule} channels when channelMode is '{ChannelModes.Specific}'.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var chosen = new List<string>();
        foreach (var id in ids)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                errors.Add("channelIds", "channel ids must be non-empty strings.");
            }
            else if (!seen.Add(id))
            {
                errors.Add("channelIds", $"'{id}' is listed more than once; channel ids must be distinct.");
            }
            else if (!context.ReadableChannelIds.Contains(id))
            {
                errors.Add("channelIds", $"'{id}' is not a channel you can read.");
            }
            else
            {
                chosen.Add(id);
            }
        }

        return (mode, chosen);
    }

    [GeneratedRegex("^[0-9]{2}:[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex HourMinuteShape();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateShape();
}
