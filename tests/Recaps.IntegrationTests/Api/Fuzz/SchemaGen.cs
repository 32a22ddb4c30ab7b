using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;

namespace Recaps.Tests.Api.Fuzz;

/// <summary>
/// Values for a schema of the document: <see cref="Valid"/> ones within every declared constraint and
/// <see cref="Invalid"/> ones outside exactly one. Both are candidates the caller checks against the
/// document (<see cref="ApiContract.Violation"/>), so a generator bug cannot mislabel a request.
/// <paramref name="hint"/> gives values for rules only a description states (a channel the caller can
/// read, a schedule the caller owns), by field name; null leaves the field to its schema.
/// </summary>
internal sealed class SchemaGen(ApiContract contract, Func<string, Gen<JsonNode?>?> hint)
{
    /// <summary>Where a string has no declared maximum: long enough to matter, short enough to stay fast.</summary>
    private const int UnboundedLength = 40;

    private const int UnboundedItems = 4;

    public static readonly Gen<JsonNode?> Null = Gen.Const((JsonNode?)null);

    public Gen<JsonNode?> Valid(JsonNode schema, string field = "")
    {
        var s = contract.Resolve(schema);
        // A field that must be null here (another kind of delivery target's) takes no hint.
        if (hint(field) is { } hinted && !Types(s).SetEquals(["null"]))
        {
            return hinted;
        }

        if (s["oneOf"] is JsonArray branches)
        {
            return Gen.OneOf([.. branches.Select(b => Valid(b!, field))]);
        }

        if (s["enum"] is JsonArray values)
        {
            return Gen.OneOf([.. values]).Select(v => v?.DeepClone());
        }

        var types = Types(s);
        var concrete = types.Where(t => t != "null").Order(StringComparer.Ordinal).ToArray();
        var value = concrete.Length == 0 ? Null : Gen.OneOf([.. concrete.Select(t => OfType(s, t, field))]);
        return types.Contains("null") && concrete.Length > 0 ? Gen.Frequency((1, Null), (4, value)) : value;
    }

    /// <summary>A value breaking one constraint of the schema, chosen among those it declares.</summary>
    public Gen<JsonNode?> Invalid(JsonNode schema, string field = "")
    {
        var s = contract.Resolve(schema);
        if (s["oneOf"] is JsonArray branches)
        {
            // Outside every branch: the wrong type for all of them.
            return WrongType(branches.SelectMany(b => Types(contract.Resolve(b!))).ToHashSet());
        }

        var types = Types(s);
        var options = new List<Gen<JsonNode?>> { WrongType(types) };
        if (s["enum"] is JsonArray)
        {
            options.Add(PatternGen.Text(1, 12).Select(text => (JsonNode?)$"not-{text}"));
        }

        if (types.Contains("string") && s["enum"] is null)
        {
            options.AddRange(InvalidText(s));
        }

        if (types.Contains("integer"))
        {
            options.AddRange(InvalidNumber(s));
        }

        if (types.Contains("array"))
        {
            options.AddRange(InvalidArray(s, field));
        }

        if (types.Contains("object"))
        {
            options.AddRange(InvalidObject(s));
        }

        return Gen.OneOf([.. options]);
    }

    private static HashSet<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray many => [.. many.Select(t => t!.GetValue<string>())],
        JsonValue one => [one.GetValue<string>()],
        _ => ["object"],
    };

    private static Gen<JsonNode?> WrongType(HashSet<string> types) => Gen.OneOf(
        [.. new (string Type, JsonNode? Value)[] { ("integer", 7), ("number", 1.5), ("boolean", true), ("string", "text"), ("array", new JsonArray()), ("object", new JsonObject()), ("null", null) }
            .Where(candidate => !types.Contains(candidate.Type))
            .Select(candidate => Gen.Const(() => candidate.Value?.DeepClone()))]);

    private Gen<JsonNode?> OfType(JsonObject s, string type, string field) => type switch
    {
        "string" => Text(s).Select(text => (JsonNode?)text),
        "integer" => Gen.Long[Bound(s, "minimum") ?? -1000, Bound(s, "maximum") ?? 1000].Select(n => (JsonNode?)n),
        "boolean" => Gen.Bool.Select(b => (JsonNode?)b),
        "array" => Array(s, field),
        _ => Object(s),
    };

    private static long? Bound(JsonObject s, string keyword) => s[keyword]?.GetValue<long>();

    private static int? Length(JsonObject s, string keyword) => s[keyword]?.GetValue<int>();

    private static Gen<string> Text(JsonObject s)
    {
        var min = Length(s, "minLength") ?? 0;
        var max = Length(s, "maxLength") ?? Math.Max(min, UnboundedLength);
        var text = s["format"]?.GetValue<string>() switch
        {
            "uuid" => Gen.Guid.Select(g => g.ToString()),
            "date-time" => DateTime,
            "date" => Date,
            // Text from the pool where it matches the pattern, else text built from the pattern.
            _ => s["pattern"]?.GetValue<string>() is { } pattern
                ? PatternGen.Text(min, max).SelectMany(text => Regex.IsMatch(text, pattern) ? Gen.Const(text) : PatternGen.Matching(pattern))
                : PatternGen.Text(min, max),
        };
        return text;
    }

    /// <summary>
    /// RFC 3339 date-times as clients write them: years 1970–2100, offsets within ±14:00, up to seven
    /// fractional digits (the precision .NET keeps), as the descriptions of date-time fields state.
    /// </summary>
    private static readonly Gen<string> DateTime =
        Gen.Select(Gen.Long[0, 4_102_444_800L], Gen.Int[-14 * 4, 14 * 4], Gen.Int[0, 7], Gen.Int[0, 9_999_999], (seconds, quarters, digits, fraction) =>
        {
            var offset = TimeSpan.FromMinutes(quarters * 15);
            var at = DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(offset);
            var text = at.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            text += digits == 0 ? "" : "." + fraction.ToString("D7", CultureInfo.InvariantCulture)[..digits];
            return text + (offset == TimeSpan.Zero ? "Z" : at.ToString("zzz", CultureInfo.InvariantCulture));
        });

    /// <summary>RFC 3339 full dates, 1970–2100: days that passed and days to come.</summary>
    private static readonly Gen<string> Date =
        Gen.Int[0, 47_846].Select(days => new DateOnly(1970, 1, 1).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    private Gen<JsonNode?> Array(JsonObject s, string field)
    {
        var min = Length(s, "minItems") ?? 0;
        var max = Length(s, "maxItems") ?? min + UnboundedItems;
        var item = Valid(s["items"]!, field + "[]");
        var unique = s["uniqueItems"]?.GetValue<bool>() ?? false;
        return Gen.Frequency((4, Gen.Int[min, Math.Min(max, min + UnboundedItems)]), (1, Gen.Const(max)))
            .SelectMany(count => item.Array[count])
            .Select(items => (JsonNode?)new JsonArray([.. unique ? items.DistinctBy(i => i?.ToJsonString()) : items]));
    }

    private Gen<JsonNode?> Object(JsonObject s)
    {
        var required = (s["required"]?.AsArray() ?? []).Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var fields = (s["properties"]?.AsObject() ?? []).Select(p => Gen.Select(
            Valid(p.Value!, p.Key), required.Contains(p.Key) ? Gen.Const(true) : Gen.Bool, (value, present) => (p.Key, Value: value, Present: present)));
        return All(fields).Select(list => (JsonNode?)new JsonObject(list.Where(f => f.Present).Select(f => KeyValuePair.Create(f.Key, f.Value))));
    }

    /// <summary>One value from each generator, in order.</summary>
    public static Gen<List<T>> All<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(() => new List<T>()), (all, next) => all.Select(next, (list, one) =>
        {
            list.Add(one);
            return list;
        }));

    private static IEnumerable<Gen<JsonNode?>> InvalidText(JsonObject s)
    {
        if (Length(s, "maxLength") is { } max)
        {
            // Letters only: a longer value the server would trim back into range is not "too long" for it either.
            yield return Gen.Int[max + 1, max + 3].SelectMany(n => Gen.Char['a', 'z'].Array[n]).Select(chars => (JsonNode?)new string(chars));
        }

        if (Length(s, "minLength") is > 0)
        {
            yield return Gen.Const<JsonNode?>("");
        }

        if (s["format"]?.GetValue<string>() is "uuid" or "date-time" or "date")
        {
            yield return PatternGen.Text(1, 12).Select(text => (JsonNode?)$"{text}-not-a-{s["format"]}");
        }

        if (s["pattern"] is not null)
        {
            // A refused character inside letters, where trimming cannot remove it.
            yield return Gen.Select(Gen.OneOf(PatternGen.Hostile), Gen.Char['a', 'z'].Array[1, 8], (bad, letters) => (JsonNode?)$"{new string(letters)}{bad}{new string(letters)}");
        }
    }

    private static IEnumerable<Gen<JsonNode?>> InvalidNumber(JsonObject s)
    {
        if (Bound(s, "minimum") is { } min)
        {
            yield return Gen.Long[min - 1000, min - 1].Select(n => (JsonNode?)n);
        }

        if (Bound(s, "maximum") is { } max)
        {
            yield return Gen.Long[max + 1, max + 1000].Select(n => (JsonNode?)n);
        }

        yield return Gen.Const<JsonNode?>(2.5);
    }

    private IEnumerable<Gen<JsonNode?>> InvalidArray(JsonObject s, string field)
    {
        var valid = Array(s, field);
        if (Length(s, "maxItems") is { } max)
        {
            var item = Valid(s["items"]!, field + "[]");
            yield return item.Array[max + 1, max + 3].Select(items => (JsonNode?)new JsonArray(items));
        }

        if (Length(s, "minItems") is > 0)
        {
            yield return Gen.Const<JsonNode?>(new JsonArray());
        }

        if (s["uniqueItems"]?.GetValue<bool>() == true)
        {
            yield return valid.Where(a => a is JsonArray { Count: > 0 }).Select(a => (JsonNode?)new JsonArray([.. a!.AsArray().Select(i => i?.DeepClone()), a![0]?.DeepClone()]));
        }

        yield return Gen.Select(valid, Invalid(s["items"]!, field + "[]"), (array, bad) => (JsonNode?)new JsonArray([.. array!.AsArray().Select(i => i?.DeepClone()), bad]));
    }

    private IEnumerable<Gen<JsonNode?>> InvalidObject(JsonObject s)
    {
        var valid = Object(s).Select(o => o!.AsObject());
        var required = (s["required"]?.AsArray() ?? []).Select(r => r!.GetValue<string>()).ToArray();
        if (required.Length > 0)
        {
            yield return Gen.Select(valid, Gen.OneOf(required), (o, name) => { o.Remove(name); return (JsonNode?)o; });
        }

        if (s["additionalProperties"]?.GetValueKind() == System.Text.Json.JsonValueKind.False)
        {
            yield return valid.Select(o => { o["unexpectedField"] = 1; return (JsonNode?)o; });
        }

        var properties = (s["properties"]?.AsObject() ?? []).ToArray();
        if (properties.Length > 0)
        {
            yield return Gen.Int[0, properties.Length - 1].SelectMany(i => Gen.Select(valid, Invalid(properties[i].Value!, properties[i].Key), (o, bad) =>
            {
                o[properties[i].Key] = bad;
                return (JsonNode?)o;
            }));
        }
    }
}
