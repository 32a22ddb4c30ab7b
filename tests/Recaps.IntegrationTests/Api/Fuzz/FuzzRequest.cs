using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace Recaps.Tests.Api.Fuzz;

/// <summary>Who sends a request: the two callers, or a broken credential.</summary>
internal enum Caller
{
    User,
    Admin,
    Anonymous,
    ForeignKey,
    Expired,
    BlankSubject,
}

/// <summary>
/// One generated request. <see cref="Expected"/> is null for a request the document allows (it must be
/// accepted); 0 for one the document refuses (any 4xx); otherwise the one status it must get.
/// <see cref="Names"/>: the path names something of the caller's that exists, so 404 would be wrong.
/// </summary>
internal sealed record FuzzRequest(
    ApiOperation Operation,
    Caller Caller,
    string Case,
    string Url,
    string? Id,
    IReadOnlyList<(string Name, string Value)> Headers,
    string? Body,
    string ContentType,
    int? Expected,
    bool Names)
{
    public override string ToString() =>
        $"{Operation} as {Caller} ({Case}): {Operation.Method.ToUpperInvariant()} {Url}"
        + string.Concat(Headers.Select(h => $"\n  {h.Name}: {h.Value}"))
        + (Body is null ? "" : $"\n  Content-Type: {ContentType}\n  {(Body.Length > 600 ? Body[..600] + $"… ({Body.Length} chars)" : Body)}");
}

/// <summary>Requests for one operation, valid and invalid, built from its parameters and body in the document.</summary>
internal sealed class FuzzRequests(ApiContract contract, FuzzWorld world)
{
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Valid requests as both callers (mostly), or a request with one thing wrong.</summary>
    public Gen<FuzzRequest> For(ApiOperation operation) =>
        Gen.OneOf(Caller.User, Caller.Admin).SelectMany(caller =>
        {
            var values = new SchemaGen(contract, world.Hints(operation, caller.ToString()));
            var valid = Valid(operation, caller, values);
            return Gen.Frequency((3, valid), (2, Invalid(operation, caller, values, valid)));
        });

    private Gen<FuzzRequest> Valid(ApiOperation operation, Caller caller, SchemaGen values)
    {
        var parameters = SchemaGen.All(operation.Parameters.Select(p => Parameter(p, values)));
        var none = Gen.Const<(bool, JsonNode?)>((false, null));
        var body = operation.Body is null ? none
            : operation.BodyRequired ? values.Valid(operation.Body).Select(b => (true, b))
            : Gen.Frequency((1, none), (4, values.Valid(operation.Body).Select(b => (true, b))));
        // A valid request carries the roles the operation declares; one without them is refused with 403.
        var forbidden = operation.Roles is { Count: > 0 } && caller != Caller.Admin;
        return Gen.Select(parameters, body, (p, b) => Request(operation, caller, forbidden ? "valid, without the role" : "valid", p, b, forbidden ? 403 : null))
            .Where(r => Violation(r.Operation, r) is null && Encoding.UTF8.GetByteCount(r.Body ?? "") <= MaxBodyBytes);
    }

    private Gen<FuzzRequest> Invalid(ApiOperation operation, Caller caller, SchemaGen values, Gen<FuzzRequest> valid)
    {
        // As a caller the operation lets in, so the one thing wrong is what answers.
        caller = operation.Roles is { Count: > 0 } ? Caller.Admin : caller;
        valid = valid.Select(r => r with { Caller = caller, Expected = null });
        var cases = new List<Gen<FuzzRequest>>();
        for (var i = 0; i < operation.Parameters.Count; i++)
        {
            var index = i;
            var p = operation.Parameters[i];
            if (!Refusable(contract.Resolve(p.Schema)))
            {
                continue;
            }

            cases.Add(Gen.Select(valid, values.Invalid(p.Schema, Field(p)), (request, bad) => Rebuild(request, index, bad, values))
                .Where(r => r is not null && Violation(operation, r) is not null).Select(r => r!));
        }

        if (operation.Body is { } schema)
        {
            cases.Add(Gen.Select(valid, values.Invalid(schema), (r, bad) => r with { Case = "invalid body", Body = Json(bad), Expected = 0 })
                .Where(r => Violation(operation, r) is not null));
            cases.Add(valid.Where(r => r.Body is not null).Select(r => r with { Case = "malformed JSON", Body = r.Body![..^1], Expected = 400 }));
            cases.Add(valid.Where(r => r.Body is not null).Select(r => r with { Case = "not JSON", ContentType = "text/plain", Expected = 415 }));
            cases.Add(valid.Where(r => r.Body?.StartsWith("{\"", StringComparison.Ordinal) == true)
                .Select(r => r with { Case = "field sent twice", Body = Twice(r.Body!), Expected = 400 }));
            // Only a body with a text field of its own can carry one (a delivery body's text is inside its targets).
            if ((contract.Resolve(schema)["properties"]?.AsObject() ?? []).Any(p => contract.Resolve(p.Value!)["type"]?.ToJsonString().Contains("\"string\"", StringComparison.Ordinal) == true))
            {
                cases.Add(valid.Select(r => r with { Case = "lone surrogate", Body = r.Body?.StartsWith('{') == true ? LoneSurrogate(r.Body) : null, Expected = 400 })
                    .Where(r => r.Body is not null));
            }
            cases.Add(valid.Select(r => r with { Case = "body over 64 KiB", Body = new string(' ', MaxBodyBytes) + (r.Body ?? "{}"), Expected = 413 }));
        }

        if (operation.Roles is not null)
        {
            cases.Add(Gen.Select(valid, Gen.OneOf(Caller.Anonymous, Caller.ForeignKey, Caller.Expired, Caller.BlankSubject), (r, broken) =>
                r with { Caller = broken, Case = $"credential: {broken}", Expected = 401 }));
        }

        return cases.Count == 0 ? valid : Gen.OneOf([.. cases]);
    }

    /// <summary>Where the document and a request part ways, or null when it is within the document.</summary>
    public string? Violation(ApiOperation operation, FuzzRequest request)
    {
        foreach (var (name, value) in ParameterValues(operation, request))
        {
            var p = operation.Parameters.Single(p => p.Name == name);
            if (value is null ? p.Required : contract.Violation(p.Schema, ParameterJson(value, contract.Resolve(p.Schema))) is not null)
            {
                return $"parameter {name}";
            }
        }

        if (operation.Body is null)
        {
            return null;
        }

        if (request.Body is null)
        {
            return operation.BodyRequired ? "no body" : null;
        }

        try
        {
            return contract.Violation(operation.Body, JsonNode.Parse(request.Body));
        }
        catch (JsonException error)
        {
            return error.Message;
        }
    }

    /// <summary>Whether some text is outside the schema: a parameter is always text, so a plain string schema admits all.</summary>
    private static bool Refusable(JsonObject schema) =>
        schema["type"]?.ToJsonString().Contains("\"string\"", StringComparison.Ordinal) != true
        || schema["enum"] is not null || schema["format"] is not null || schema["pattern"] is not null
        || schema["maxLength"] is not null || schema["minLength"]?.GetValue<int>() > 0;

    private static string Field(ApiParameter p) => $"{p.In}:{p.Name}";

    private static Gen<string?> Parameter(ApiParameter p, SchemaGen values)
    {
        var value = values.Valid(p.Schema, Field(p)).Select(ParameterText);
        return p.Required ? value : Gen.Frequency((1, Gen.Const((string?)null)), (2, value));
    }

    /// <summary>A parameter as sent: a string as it is, anything else as its JSON text; null leaves it out.</summary>
    private static string? ParameterText(JsonNode? value) => value switch
    {
        null => null,
        JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    /// <summary>A parameter's text as the JSON value its schema describes: an integer when it is one.</summary>
    private static JsonValue ParameterJson(string value, JsonObject schema) =>
        schema["type"]?.ToJsonString().Contains("integer", StringComparison.Ordinal) == true
        && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
        && number.ToString(CultureInfo.InvariantCulture) == value
            ? JsonValue.Create(number)
            : JsonValue.Create(value);

    private FuzzRequest Request(ApiOperation operation, Caller caller, string @case, List<string?> parameters, (bool Sent, JsonNode? Value) body, int? expected)
    {
        var path = operation.Path;
        var query = new List<string>();
        var headers = new List<(string, string)>();
        string? id = null;
        for (var i = 0; i < parameters.Count; i++)
        {
            var (p, value) = (operation.Parameters[i], parameters[i]);
            switch (p.In)
            {
                case "path":
                    path = path.Replace($"{{{p.Name}}}", Uri.EscapeDataString(value!), StringComparison.Ordinal);
                    id = value;
                    break;
                case "query" when value is not null:
                    query.Add($"{p.Name}={Uri.EscapeDataString(value)}");
                    break;
                case "header" when value is not null:
                    headers.Add((p.Name, value));
                    break;
            }
        }

        var url = query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
        return new(operation, caller, @case, url, id, headers, body.Sent ? Json(body.Value) : null, "application/json", expected, world.Names(operation, caller.ToString(), id));
    }

    /// <summary>The request with parameter <paramref name="index"/> replaced by <paramref name="bad"/>; null when it cannot be sent.</summary>
    private FuzzRequest? Rebuild(FuzzRequest request, int index, JsonNode? bad, SchemaGen values)
    {
        var operation = request.Operation;
        var p = operation.Parameters[index];
        var text = ParameterText(bad);
        // An empty path segment or a dot segment names another URL, not this operation, and no URL carries NUL;
        // a header carries visible ASCII and tabs, and an empty one reaches the API as no header.
        if ((p.In == "path" && (text is null or "" or "." or ".." || text.Contains('\0', StringComparison.Ordinal)))
            || (p.In == "header" && (text is "" || text?.Any(c => c is not ('\t' or >= ' ' and <= '~')) == true)))
        {
            return null;
        }

        var parameters = ParameterValues(operation, request).Select(pair => pair.Value).ToList();
        parameters[index] = text;
        var body = request.Body is null ? (false, (JsonNode?)null) : (true, JsonNode.Parse(request.Body));
        return Request(operation, request.Caller, $"invalid {Field(p)}", parameters, body, 0);
    }

    /// <summary>The parameters of a request as sent, in the operation's order (null: not sent).</summary>
    private static IEnumerable<(string Name, string? Value)> ParameterValues(ApiOperation operation, FuzzRequest request)
    {
        var uri = new Uri(new Uri("http://fuzz"), request.Url);
        var query = (uri.Query.Length > 1 ? uri.Query[1..].Split('&') : []).Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => Uri.UnescapeDataString(pair[1]), StringComparer.Ordinal);
        foreach (var p in operation.Parameters)
        {
            yield return (p.Name, p.In switch
            {
                "path" => request.Id,
                "query" => query.GetValueOrDefault(p.Name),
                _ => request.Headers.Where(h => h.Name == p.Name).Select(h => h.Value).FirstOrDefault(),
            });
        }
    }

    private static string Json(JsonNode? value) => value?.ToJsonString(Raw) ?? "null";

    /// <summary>The object's first field written again before it.</summary>
    private static string Twice(string body)
    {
        var first = JsonNode.Parse(body)!.AsObject().First();
        return $"{{{JsonSerializer.Serialize(first.Key)}:{Json(first.Value)},{body[1..]}";
    }

    /// <summary>The first string field holding half of a surrogate pair, which no Unicode text contains; null when there is none.</summary>
    private static string? LoneSurrogate(string body)
    {
        const string Marker = "lone-surrogate-here";
        var root = JsonNode.Parse(body)!;
        // The first string anywhere: a body's strings may all be inside arrays (PUT /v1/me/delivery's targets).
        if (FirstString(root) is not { } text)
        {
            return null;
        }

        text.ReplaceWith(Marker);
        return Json(root).Replace(Marker, "a\\ud800b", StringComparison.Ordinal);
    }

    private static JsonNode? FirstString(JsonNode? node) => node switch
    {
        JsonObject fields => fields.Select(f => FirstString(f.Value)).FirstOrDefault(found => found is not null),
        JsonArray items => items.Select(FirstString).FirstOrDefault(found => found is not null),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value,
        _ => null,
    };
}
