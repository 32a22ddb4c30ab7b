using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Recaps.Tests.Api.Fuzz;

/// <summary>A parameter of an operation: where it goes, whether it must be sent, and its schema.</summary>
internal sealed record ApiParameter(string Name, string In, bool Required, JsonNode Schema);

/// <summary>A declared answer: its schema per media type (none: no body) and its headers (name, required, schema).</summary>
internal sealed record ApiResponse(IReadOnlyDictionary<string, JsonNode> Content, IReadOnlyList<(string Name, bool Required, JsonNode Schema)> Headers);

/// <summary>
/// One operation of the document. <see cref="Roles"/> is null for a public call; otherwise the bearer
/// token is required and must carry each role listed (OpenAPI 3.1 lets an http scheme's requirement
/// list role names).
/// </summary>
internal sealed record ApiOperation(
    string Method,
    string Path,
    IReadOnlyList<ApiParameter> Parameters,
    JsonNode? Body,
    bool BodyRequired,
    IReadOnlyDictionary<string, ApiResponse> Responses,
    IReadOnlyList<string>? Roles)
{
    public override string ToString() => $"{Method.ToUpperInvariant()} {Path}";
}

/// <summary>
/// The OpenAPI document as the fuzzer reads it: its operations, its schemas resolved, and validation of
/// any value against any of its schemas (JSON Schema 2020-12, the dialect of OpenAPI 3.1, formats included).
/// </summary>
internal sealed class ApiContract
{
    private static readonly EvaluationOptions Strict = new() { RequireFormatValidation = true, OutputFormat = OutputFormat.List };

    private readonly JsonObject _schemas;
    private readonly ConcurrentDictionary<string, JsonSchema> _compiled = new(StringComparer.Ordinal);

    public ApiContract(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        _schemas = document["components"]?["schemas"]?.AsObject() ?? [];
        Operations = [.. document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(item => item.Key is "get" or "put" or "post" or "delete" or "patch")
            .Select(item => Operation(path.Key, item.Key, item.Value!.AsObject())))];
    }

    public IReadOnlyList<ApiOperation> Operations { get; }

    /// <summary>The schema itself, or the component a <c>$ref</c> names.</summary>
    public JsonObject Resolve(JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference ? Resolve(_schemas[reference.Split('/')[^1]]!) : schema.AsObject();

    /// <summary>Why <paramref name="value"/> does not match <paramref name="schema"/>, or null when it does.</summary>
    public string? Violation(JsonNode schema, JsonNode? value)
    {
        var text = schema.ToJsonString();
        var compiled = _compiled.GetOrAdd(text, _ =>
        {
            var standalone = JsonNode.Parse(text.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
            standalone["$defs"] = JsonNode.Parse(_schemas.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal));
            return JsonSchema.FromText(standalone.ToJsonString());
        });
        var result = compiled.Evaluate(value, Strict);
        return result.IsValid
            ? null
            : string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}")));
    }

    private static ApiOperation Operation(string path, string method, JsonObject operation)
    {
        var parameters = (operation["parameters"]?.AsArray() ?? []).Select(p => new ApiParameter(
            p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["required"]?.GetValue<bool>() ?? false, p["schema"]!)).ToList();
        var body = operation["requestBody"];
        var responses = operation["responses"]!.AsObject().ToDictionary(
            r => r.Key,
            r => new ApiResponse(
                (r.Value!["content"]?.AsObject() ?? []).ToDictionary(c => c.Key, c => c.Value!["schema"]!, StringComparer.OrdinalIgnoreCase),
                [.. (r.Value["headers"]?.AsObject() ?? []).Select(h => (h.Key, h.Value!["required"]?.GetValue<bool>() ?? false, h.Value["schema"]!))]),
            StringComparer.Ordinal);
        var roles = operation["security"]?.AsArray().SelectMany(requirement => requirement!.AsObject())
            .SelectMany(scheme => scheme.Value!.AsArray().Select(role => role!.GetValue<string>())).ToList();
        return new(method, path, parameters, body?["content"]?["application/json"]?["schema"], body?["required"]?.GetValue<bool>() ?? false, responses, roles);
    }
}
