using System.Net;
using System.Text.Json.Nodes;
using CsCheck;
using Recaps.Workflows.Delivery;

namespace Recaps.Tests.Api.Fuzz;

/// <summary>
/// What exists while the fuzzer runs, kept from the answers it gets: each caller's schedules and
/// recaps, and the channels. It supplies what only a description states (a schedule the caller owns,
/// a channel the caller can read) and tells whether a request names something that exists, where a
/// 404 would be wrong.
/// </summary>
internal sealed class FuzzWorld
{
    private readonly Dictionary<string, List<string>> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _recaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _members = new(StringComparer.Ordinal);

    /// <summary>Channels both callers read, written once before the run and never changed by it.</summary>
    public IReadOnlyList<string> Fixtures { get; init; } = [];

    public void AddSchedule(string caller, string id) => Owned(_schedules, caller).Add(id);

    public void AddRecap(string caller, string id) => Owned(_recaps, caller).Add(id);

    public void AddChannel(string id, IEnumerable<string> members) => _members[id] = [.. members];

    /// <summary>Values for rules the document can only describe, for <paramref name="caller"/> calling <paramref name="operation"/>.</summary>
    public Func<string, Gen<JsonNode?>?> Hints(ApiOperation operation, string caller) => field => field switch
    {
        "path:id" when operation.Path.StartsWith("/v1/schedules/", StringComparison.Ordinal) => Id(_schedules, caller),
        "path:id" when operation.Path.StartsWith("/v1/recaps/", StringComparison.Ordinal) => Id(_recaps, caller),
        "path:id" when operation.Method != "put" && operation.Path.StartsWith("/v1/channels/", StringComparison.Ordinal) =>
            Gen.Frequency((4, Gen.OneOf([.. _members.Keys])), (1, PatternGen.Text(1, 20))).Select(id => (JsonNode?)id),
        // The rule "channels the caller can read" (distinct, 1–3 of them); the document's conditions decide which mode they fit.
        "channelIds" => Gen.Frequency(
            (1, SchemaGen.Null),
            (1, Gen.Const(() => (JsonNode?)new JsonArray())),
            (4, Gen.Shuffle(Fixtures.ToArray(), 1, Fixtures.Count).Select(ids => (JsonNode?)new JsonArray([.. ids.Select(id => (JsonNode?)id)])))),
        // Delivery targets: shapes the document states only as patterns too intricate to generate from.
        "url" => Gen.Select(Label.Array[1, 3], Gen.Int[0, 65535], Gen.Bool, PatternGen.Text(0, 20), (labels, port, withPort, path) =>
            (JsonNode?)$"https://{string.Join('.', labels)}{(withPort && port > 0 ? $":{port}" : "")}/{Uri.EscapeDataString(path)}"),
        "secret" => Gen.Char['!', '~'].Array[DeliveryTargetRules.MinSecretLength, 40].Select(chars => (JsonNode?)new string(chars)),
        "address" => Gen.Select(Label, Label.Array[2, 3], (local, domain) => (JsonNode?)$"{local}@{string.Join('.', domain)}"),
        _ => null,
    };

    private static readonly Gen<string> Label = Gen.Char['a', 'z'].Array[1, 10].Select(chars => new string(chars));

    /// <summary>Whether the request's path names something of <paramref name="caller"/>'s that exists now, so a 404 would be a bug.</summary>
    public bool Names(ApiOperation operation, string caller, string? id) => (operation.Path, id) switch
    {
        (_, null) => false,
        ("/v1/channels/{id}/posts", _) => _members.ContainsKey(id),
        ("/v1/channels/{id}/read", _) => _members.TryGetValue(id, out var members) && members.Contains(caller),
        (var path, _) when path.StartsWith("/v1/schedules/{id}", StringComparison.Ordinal) => Owned(_schedules, caller).Contains(id),
        (var path, _) when path.StartsWith("/v1/recaps/{id}", StringComparison.Ordinal) => Owned(_recaps, caller).Contains(id),
        _ => false,
    };

    /// <summary>Keeps what the answer created or deleted.</summary>
    public void Record(ApiOperation operation, string caller, string? id, HttpStatusCode status, JsonNode? body)
    {
        switch (operation.ToString(), status)
        {
            case ("POST /v1/schedules", HttpStatusCode.Created):
                AddSchedule(caller, body!["id"]!.GetValue<string>());
                break;
            case ("DELETE /v1/schedules/{id}", HttpStatusCode.NoContent):
                Owned(_schedules, caller).Remove(id!);
                break;
            case ("PUT /v1/channels/{id}", HttpStatusCode.OK) when !Fixtures.Contains(id):
                AddChannel(id!, body!["memberIds"]!.AsArray().Select(m => m!.GetValue<string>()));
                break;
        }
    }

    private static List<string> Owned(Dictionary<string, List<string>> all, string caller) =>
        all.TryGetValue(caller, out var owned) ? owned : all[caller] = [];

    /// <summary>Mostly the caller's own, sometimes someone else's or one that never existed.</summary>
    private static Gen<JsonNode?> Id(Dictionary<string, List<string>> all, string caller)
    {
        var own = Owned(all, caller).ToArray();
        var others = all.Where(pair => pair.Key != caller).SelectMany(pair => pair.Value).ToArray();
        var options = new List<(int, IGen<string>)> { (1, Gen.Guid.Select(g => g.ToString())) };
        if (own.Length > 0)
        {
            options.Add((6, Gen.OneOf(own)));
        }

        if (others.Length > 0)
        {
            options.Add((1, Gen.OneOf(others)));
        }

        return Gen.Frequency([.. options]).Select(id => (JsonNode?)id);
    }
}
