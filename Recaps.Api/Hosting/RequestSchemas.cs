using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Recaps.Api.Channels;
using Recaps.Api.Delivery;
using Recaps.Api.Problems;
using Recaps.Api.Recaps;
using Recaps.Api.Schedules;
using Recaps.Workflows.Configuration;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.Domain;
using Recaps.Workflows.Generation;

namespace Recaps.Api.Hosting;

/// <summary>
/// The request bodies in the OpenAPI document as the handlers check them, from the same constants:
/// which fields are required and which may be null, lengths (in code points), patterns, enums, and in
/// descriptions what JSON Schema cannot say. A body the document allows is accepted.
/// </summary>
internal sealed class RequestSchemas(TimeZoneData zones, RecapGenerators generators, IOptions<RecapsOptions> options, IOptions<DeliveryOptions> delivery) : IOpenApiSchemaTransformer
{
    /// <summary>What the date-time fields accept besides RFC 3339's shape.</summary>
    public const string DateTimeRule = "An RFC 3339 date-time with an upper-case `T` and `Z` or an offset within ±14:00, years 0001–9999, up to 7 fractional digits.";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonPropertyInfo is not null)
        {
            return Task.CompletedTask;
        }

        var type = context.JsonTypeInfo.Type;
        if (type == typeof(ScheduleIntentInput))
        {
            Schedule(schema);
        }
        else if (type == typeof(PauseRequest))
        {
            Describe(schema, [], ("reason", Nullable(Text(SchedulesApi.MaxPauseReasonLength, StoredText.Pattern(),
                $"Trimmed of surrounding white space; blank is no reason. {StoredText.Rule("reason")}"))));
        }
        else if (type == typeof(ChannelRequest))
        {
            Describe(schema, ["name", "memberIds"],
                ("name", Text(ScheduleIntentValidator.MaxTitleLength, StoredText.Pattern(nonBlank: true), $"Trimmed of surrounding white space; not blank. {StoredText.Rule("name")}")),
                ("memberIds", new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Items = Text(ChannelsApi.MaxIdLength, StoredText.Pattern(nonBlank: true), $"A user id (a token's `sub`); not blank. {StoredText.Rule("it")}"),
                }));
        }
        else if (type == typeof(PostRequest))
        {
            Describe(schema, ["authorId", "message"],
                ("authorId", Text(ChannelsApi.MaxIdLength, StoredText.Pattern(nonBlank: true), $"Not blank. {StoredText.Rule("authorId")}")),
                ("message", Text(ChannelsApi.MaxMessageLength, StoredText.StorablePattern(), "Chat content: anything but NUL (U+0000); not blank.")),
                ("createdAt", Nullable(DateTime("When it was posted; now when absent or null."))));
        }
        else if (type == typeof(FeedbackRequest))
        {
            Describe(schema, ["rating"],
                ("rating", Enum(RecapRatingText.All)),
                ("comment", Nullable(Text(RecapsApi.MaxCommentLength, StoredText.Pattern(multiline: true), StoredText.Rule("comment", multiline: true)))));
        }
        else if (type == typeof(RegenerateRequest))
        {
            Describe(schema, [], ("agent", Nullable(Enum(generators.Agents.Order(StringComparer.Ordinal), "The schedule's agent when absent or null."))));
        }
        else if (type == typeof(DeliveryRequest))
        {
            Describe(schema, ["targets"], ("targets", Targets("A target listed twice is kept once.")));
        }
        else if (type == typeof(ReadRequest))
        {
            Describe(schema, [], ("until", Nullable(DateTime("Read up to here; now when absent or null."))));
        }

        return Task.CompletedTask;
    }

    private void Schedule(OpenApiSchema schema)
    {
        var maxChannels = options.Value.Limits.MaxChannelsPerSchedule;
        schema.Description = "A schedule's intent: the create, update and preview body.";
        Describe(schema, ["title", "daysOfWeek", "timeOfDay", "timeZone", "channelMode"],
            ("title", Text(ScheduleIntentValidator.MaxTitleLength, StoredText.Pattern(nonBlank: true), $"Trimmed of surrounding white space; not blank. {StoredText.Rule("title")}")),
            ("daysOfWeek", new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = Enum(WeekdaySet.Week.Select(WeekdaySet.NameOf)),
                MinItems = 1,
                MaxItems = 7,
                UniqueItems = true,
                Description = "English day names, each at most once (matched ignoring case).",
            }),
            ("timeOfDay", new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$", Description = "HH:mm, 00:00–23:59." }),
            ("timeZone", Enum(zones.Zones.Ids, $"An IANA tz database id of the server's tzdb ({zones.Version}).")),
            ("channelMode", Enum([ChannelModes.Specific, ChannelModes.AllUnreads])),
            ("channelIds", new OpenApiSchema
            {
                Type = JsonSchemaType.Array | JsonSchemaType.Null,
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
                MaxItems = maxChannels,
                UniqueItems = true,
                Description = $"Channels the caller can read (is a member of): 1–{maxChannels} when `channelMode` is `specific`, none otherwise.",
            }),
            ("recurring", new OpenApiSchema { Type = JsonSchemaType.Boolean | JsonSchemaType.Null, Description = "True when absent or null; false runs once." }),
            ("agent", Nullable(Enum(generators.Agents.Order(StringComparer.Ordinal), $"`{ScheduleIntentValidator.DefaultAgent}` when absent or null."))),
            ("customInstructions", Nullable(Text(
                ScheduleIntentValidator.MaxCustomInstructionsLength, StoredText.Pattern(multiline: true), StoredText.Rule("customInstructions", multiline: true)))),
            ("skipIfEmpty", new OpenApiSchema
            {
                Type = JsonSchemaType.Boolean | JsonSchemaType.Null,
                Description = $"False when absent or null; true records a scheduled run whose window has no posts as skipped (reason `{OccurrenceClaim.EmptyReason}`) instead of storing an empty recap.",
            }),
            ("skipDates", new OpenApiSchema
            {
                Type = JsonSchemaType.Array | JsonSchemaType.Null,
                Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date", Pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
                MaxItems = SkipDateSet.MaxCount,
                UniqueItems = true,
                Description = "Local dates in `timeZone` (yyyy-MM-dd) whose scheduled run is recorded skipped; the next recap covers its posts. "
                    + "Run-nows are never skipped. Dates before yesterday in `timeZone` are dropped. None when `recurring` is false.",
            }),
            ("deliverTo", Nullable(Targets(
                "Where this schedule's recaps go, instead of the caller's own targets (`/v1/me/delivery`, used when absent or null). A target listed twice is kept once; webhook secrets and URLs are sent with every update and only the URL's host is shown."))));
        // channelIds must list channels for `specific` and none for `allUnreads`.
        schema.If = new OpenApiSchema { Properties = new Dictionary<string, IOpenApiSchema> { ["channelMode"] = Enum([ChannelModes.Specific]) } };
        schema.Then = new OpenApiSchema
        {
            Required = new HashSet<string> { "channelIds" },
            Properties = new Dictionary<string, IOpenApiSchema> { ["channelIds"] = new OpenApiSchema { Type = JsonSchemaType.Array, MinItems = 1 } },
        };
        schema.Else = new OpenApiSchema { Properties = new Dictionary<string, IOpenApiSchema> { ["channelIds"] = new OpenApiSchema { MaxItems = 0 } } };
        // A one-time schedule takes no skip dates.
        schema.AllOf =
        [
            new OpenApiSchema
            {
                If = new OpenApiSchema { Required = new HashSet<string> { "recurring" }, Properties = new Dictionary<string, IOpenApiSchema> { ["recurring"] = new OpenApiSchema { Enum = [JsonValue.Create(false)] } } },
                Then = new OpenApiSchema { Properties = new Dictionary<string, IOpenApiSchema> { ["skipDates"] = new OpenApiSchema { MaxItems = 0 } } },
            },
        ];
    }

    private static readonly string[] TargetFields = ["url", "secret", "address"];

    private OpenApiSchema Targets(string description) => new()
    {
        Type = JsonSchemaType.Array,
        MinItems = 1,
        MaxItems = DeliveryTargetRules.MaxTargets,
        Items = DeliveryTarget(),
        Description = description,
    };

    /// <summary>One of the three kinds; the fields another kind takes must be absent or null.</summary>
    private OpenApiSchema DeliveryTarget()
    {
        var allowHttp = delivery.Value.AllowPrivateWebhookAddresses;
        var none = new OpenApiSchema { Type = JsonSchemaType.Null };
        OpenApiSchema Kind(string type, string[] required, params (string Name, OpenApiSchema Schema)[] taken)
        {
            var kind = new OpenApiSchema { Type = JsonSchemaType.Object };
            Describe(kind, ["type", .. required], [("type", Enum([type])), .. TargetFields.Select(name => (name, taken.FirstOrDefault(t => t.Name == name).Schema ?? none))]);
            return kind;
        }

        return new OpenApiSchema
        {
            OneOf =
            [
                Kind(DeliveryTypes.InApp, []),
                Kind(DeliveryTypes.Webhook, ["url", "secret"],
                    ("url", Text(DeliveryTargetRules.MaxUrlLength, DeliveryTargetRules.UrlPattern(allowHttp),
                        $"Where the chat platform's incoming webhook listens: {(allowHttp ? "http or https" : "https")}, a host name, no credentials or fragment.")),
                    ("secret", Text(DeliveryTargetRules.MaxSecretLength, DeliveryTargetRules.SecretPattern,
                        "Signs each body (`X-Recaps-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + \".\" + body)>`); write-only."))),
                Kind(DeliveryTypes.Email, ["address"],
                    ("address", Text(DeliveryTargetRules.MaxAddressLength, DeliveryTargetRules.AddressPattern, "An email address (ASCII)."))),
            ],
        };
    }

    /// <summary>Sets the required fields and the listed properties' schemas; the others stay as generated.</summary>
    private static void Describe(OpenApiSchema schema, string[] required, params (string Name, OpenApiSchema Schema)[] properties)
    {
        schema.Required = required.ToHashSet(StringComparer.Ordinal);
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var (name, property) in properties)
        {
            schema.Properties[name] = property;
        }
    }

    /// <summary>Text of at most <paramref name="maxLength"/> code points matching <paramref name="pattern"/>.</summary>
    private static OpenApiSchema Text(int maxLength, string pattern, string description) => new()
    {
        Type = JsonSchemaType.String,
        MaxLength = maxLength,
        Pattern = pattern,
        Description = $"{description} At most {maxLength} characters (Unicode code points).",
    };

    private static OpenApiSchema DateTime(string description) =>
        new() { Type = JsonSchemaType.String, Format = "date-time", Description = $"{description} {DateTimeRule}" };

    private static OpenApiSchema Enum(IEnumerable<string> values, string? description = null) =>
        new() { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)v)], Description = description };

    /// <summary>The schema, or null (which an enum has to list too).</summary>
    private static OpenApiSchema Nullable(OpenApiSchema schema)
    {
        schema.Type |= JsonSchemaType.Null;
        if (schema.Enum is { } values)
        {
            values.Add(null!);
        }

        return schema;
    }
}
