using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Recaps.Tests.Api.Fuzz;

namespace Recaps.Tests.Api;

/// <summary>
/// The OpenAPI document is the contract, exactly: requests generated from it (valid ones, and ones
/// with one thing wrong: a parameter or field out of its schema, a malformed or oversized body, a
/// broken credential) as a user and as an admin get no 5xx, only statuses the operation declares,
/// bodies and headers as declared, and every request the document allows is accepted.
/// <para>
/// Accepted means 2xx, or an outcome the document declares and a valid request can meet through
/// state it cannot see: 404 for an id the caller does not own (or a channel that does not exist;
/// never for one the world knows the caller has), 409 for the resource's state (a completed or paused
/// schedule, the schedule limit, an idempotency key reused), 429 for a cooldown or quota. 400 is never
/// accepted: the document states every rule of the request.
/// </para>
/// The run is fixed by a seed (<c>RECAPS_FUZZ_SEED</c>, default below) and a request count
/// (<c>RECAPS_FUZZ_REQUESTS</c>); a failure names the seed that reproduces it.
/// </summary>
public class OpenApiFuzzTests(PostgresFixture postgres)
{
    private const ulong DefaultSeed = 20260302;

    private const int DefaultRequests = 700;

    internal const string User = "fuzz-user";

    private static readonly int[] AcceptedOutcomes = [404, 409, 429];

    [Fact]
    public async Task EveryOperation_AnswersAsTheDocumentDeclares()
    {
        var seed = Setting("RECAPS_FUZZ_SEED", DefaultSeed);
        var count = (int)Setting("RECAPS_FUZZ_REQUESTS", DefaultRequests);
        await using var api = await ApiHost.StartAsync(
            postgres,
            // The per-user limit and the hourly quotas would refuse the run's own requests (the clock stands
            // still), and the schedule limit would turn most creates into 409s: every success is then checked.
            ("Recaps:RateLimit:PermitLimit", "1000000"),
            ("Recaps:Quotas:RunNowsPerHour", "1000000"),
            ("Recaps:Quotas:ScheduleChangesPerHour", "1000000"),
            ("Recaps:Limits:MaxSchedulesPerUser", "1000"));
        var world = await WorldAsync(api);
        using var anonymous = api.Anonymous();
        var contract = new ApiContract(JsonNode.Parse(await anonymous.GetStringAsync(ApiCalls.Url("/openapi/v1.json"), ApiCalls.Cancel))!);
        using var clients = new Clients(api);
        var requests = new FuzzRequests(contract, world);
        var random = new PCG(1, seed);
        var failures = new List<string>();
        var answered = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);

        for (var i = 0; i < count && failures.Count < 20; i++)
        {
            var operation = contract.Operations[(int)random.Next((uint)contract.Operations.Count)];
            var request = Generate(requests.For(operation), random, $"{operation} (seed {seed}, request #{i})");
            using var response = await SendAsync(clients.Of(request.Caller), request);
            var body = await response.Content.ReadAsStringAsync(ApiCalls.Cancel);
            var status = (int)response.StatusCode;
            if (Problem(contract, request, response, body) is { } problem)
            {
                failures.Add($"#{i} {request}\n→ {status} {response.Content.Headers.ContentType} {body[..Math.Min(body.Length, 800)]}\n✗ {problem}");
            }

            answered.TryAdd(operation.ToString(), []);
            answered[operation.ToString()].Add(status);
            world.Record(operation, Caller(request), request.Id, response.StatusCode, status < 300 && body.Length > 0 ? JsonNode.Parse(body) : null);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', answered.Select(a => $"{a.Key}: {string.Join(' ', a.Value)}")));
        Assert.True(failures.Count == 0, $"Seed {seed} (RECAPS_FUZZ_SEED={seed} reproduces it):\n\n{string.Join("\n\n", failures)}");
        // Not vacuous: every operation was called, and accepted at least once.
        Assert.All(contract.Operations, operation => Assert.Contains(answered.GetValueOrDefault(operation.ToString(), []), status => status is >= 200 and < 300));
    }

    private static T Generate<T>(Gen<T> gen, PCG random, string what)
    {
        try
        {
            return gen.Generate(random, null, out _);
        }
        catch (CsCheckException error)
        {
            throw new InvalidOperationException($"No request generated for {what}: the document's constraints leave none.", error);
        }
    }

    /// <summary>What is wrong with the answer to <paramref name="request"/>, or null.</summary>
    private static string? Problem(ApiContract contract, FuzzRequest request, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return "a server error";
        }

        if (!request.Operation.Responses.TryGetValue(status.ToString(CultureInfo.InvariantCulture), out var declared))
        {
            return $"{status} is not declared for {request.Operation}";
        }

        if (Content(contract, declared, response, body) is { } content)
        {
            return content;
        }

        foreach (var (name, required, schema) in declared.Headers)
        {
            var value = response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? values.First() : null;
            if (value is null ? required : contract.Violation(schema, long.TryParse(value, out var n) ? JsonValue.Create(n) : JsonValue.Create(value)) is not null)
            {
                return $"header {name}: '{value}' is not as declared";
            }
        }

        return request.Expected switch
        {
            null when status is >= 200 and < 300 => null,
            null when AcceptedOutcomes.Contains(status) && !(status == 404 && request.Names) => null,
            null => $"the document allows this request, but it was refused with {status}",
            0 when status is >= 400 and < 500 => null,
            0 => $"the document refuses this request, but the server answered {status}",
            var expected when expected == status => null,
            var expected => $"expected {expected}",
        };
    }

    private static string? Content(ApiContract contract, ApiResponse declared, HttpResponseMessage response, string body)
    {
        if (declared.Content.Count == 0)
        {
            return body.Length == 0 ? null : "a body where none is declared";
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (!declared.Content.TryGetValue(mediaType, out var schema))
        {
            return $"Content-Type '{mediaType}' is not declared";
        }

        try
        {
            return contract.Violation(schema, JsonNode.Parse(body)) is { } violation ? $"the body does not match its schema: {violation}" : null;
        }
        catch (JsonException error)
        {
            return $"the body is not JSON: {error.Message}";
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, FuzzRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Operation.Method.ToUpperInvariant()), ApiCalls.Url(request.Url));
        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8, request.ContentType);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(message, ApiCalls.Cancel);
    }

    /// <summary>
    /// Two channels both callers read (one with an id and name outside ASCII), posts, each caller's
    /// schedule, and a recap with its run: so ids the fuzzer picks name things that exist.
    /// </summary>
    private static async Task<FuzzWorld> WorldAsync(ApiHost api)
    {
        string[] fixtures = ["fuzz-dev", "fuzz-ünï-😀"];
        var world = new FuzzWorld { Fixtures = fixtures };
        foreach (var channel in fixtures)
        {
            await api.ChannelAsync(channel, User, ApiHost.Admin);
            await api.PostAsync(channel, "bob", "@fuzz-user please review the migration by Friday.");
            world.AddChannel(channel, [User, ApiHost.Admin]);
        }

        using var user = api.As(User);
        using var admin = api.As(ApiHost.Admin, admin: true);
        var schedule = await user.CreateScheduleAsync(ScheduleBodies.Weekdays(fixtures));
        var (_, recap) = await api.RunFirstOccurrenceAsync(schedule);
        world.AddSchedule(nameof(Fuzz.Caller.User), schedule.Id());
        world.AddRecap(nameof(Fuzz.Caller.User), recap!.RecapId.ToString());
        world.AddSchedule(nameof(Fuzz.Caller.Admin), (await admin.CreateScheduleAsync()).Id());
        return world;
    }

    /// <summary>The world keys what callers own by the caller that owns it.</summary>
    private static string Caller(FuzzRequest request) => request.Caller.ToString();

    private static ulong Setting(string name, ulong fallback) =>
        ulong.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

/// <summary>A client per <see cref="Caller"/>, each with its credential.</summary>
internal sealed class Clients(ApiHost api) : IDisposable
{
    private readonly Dictionary<Caller, HttpClient> _clients = new()
    {
        [Caller.User] = api.As(OpenApiFuzzTests.User),
        [Caller.Admin] = api.As(ApiHost.Admin, admin: true),
        [Caller.Anonymous] = api.Anonymous(),
        [Caller.ForeignKey] = api.WithToken(ApiHost.Token(OpenApiFuzzTests.User, signingKey: "another-signing-key-of-at-least-32-bytes")),
        [Caller.Expired] = api.WithToken(ApiHost.Token(OpenApiFuzzTests.User, expires: DateTime.UtcNow.AddHours(-1))),
        [Caller.BlankSubject] = api.WithToken(ApiHost.Token(" ")),
    };

    public HttpClient Of(Caller caller) => _clients[caller];

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
