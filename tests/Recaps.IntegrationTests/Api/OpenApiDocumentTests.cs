using System.Text.Json;

namespace Recaps.Tests.Api;

/// <summary>The document as the API serves it, read once for the class: it depends on the code alone.</summary>
public sealed class ServedOpenApiDocument(PostgresFixture postgres) : IAsyncLifetime
{
    public JsonElement Json { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var anonymous = api.Anonymous();
        Json = await anonymous.GetJsonAsync("/openapi/v1.json");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The OpenAPI document describes the whole REST contract, so clients can be generated from it.</summary>
public class OpenApiDocumentTests(ServedOpenApiDocument openApi) : IClassFixture<ServedOpenApiDocument>
{
    /// <summary>Every call of the §5 table with the problems it can answer besides 401, 429 and 503.</summary>
    public static TheoryData<string, string, string[]> Calls => new()
    {
        { "post", "/v1/schedules", ["400", "409", "413", "415"] },
        { "get", "/v1/schedules", [] },
        { "get", "/v1/schedules/{id}", ["404"] },
        { "put", "/v1/schedules/{id}", ["400", "404", "413", "415"] },
        { "delete", "/v1/schedules/{id}", ["404"] },
        { "post", "/v1/schedules/{id}/pause", ["400", "404", "409"] },
        { "post", "/v1/schedules/{id}/resume", ["404", "409"] },
        { "post", "/v1/schedules/{id}/run", ["404", "409"] },
        { "get", "/v1/schedules/{id}/runs", ["404"] },
        { "post", "/v1/schedules/preview", ["400", "413", "415"] },
        { "get", "/v1/recaps", [] },
        { "get", "/v1/recaps/{id}", ["404"] },
        { "get", "/v1/channels", [] },
        { "put", "/v1/channels/{id}", ["400", "403"] },
        { "post", "/v1/channels/{id}/posts", ["400", "403", "404"] },
        { "post", "/v1/channels/{id}/read", ["404"] },
    };

    private static JsonElement Schema(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    [Theory]
    [MemberData(nameof(Calls))]
    public void Call_IsDescribedWithItsProblemsAndTheBearerToken(string method, string path, string[] problems)
    {
        var document = openApi.Json;

        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item), $"{path} is not in the document.");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is not in the document.");
        var responses = operation.GetProperty("responses");
        foreach (var status in problems.Append("401").Append("429").Append("503"))
        {
            Assert.True(responses.TryGetProperty(status, out var response), $"{method} {path} does not describe {status}.");
            Assert.True(response.GetProperty("content").TryGetProperty(ApiCalls.ProblemContentType, out _), $"{method} {path}: {status} is not a problem.");
        }

        Assert.Contains(
            operation.GetProperty("security").EnumerateArray(),
            requirement => requirement.TryGetProperty("Bearer", out _));
    }

    [Theory]
    [InlineData("post", "/v1/schedules", "ScheduleIntentInput")]
    [InlineData("put", "/v1/schedules/{id}", "ScheduleIntentInput")]
    [InlineData("post", "/v1/schedules/preview", "ScheduleIntentInput")]
    [InlineData("put", "/v1/channels/{id}", "ChannelRequest")]
    [InlineData("post", "/v1/channels/{id}/posts", "PostRequest")]
    public void WriteCall_DescribesItsJsonBody(string method, string path, string schemaName)
    {
        var document = openApi.Json;

        var body = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody");

        Assert.True(body.GetProperty("required").GetBoolean());
        var schema = body.GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.EndsWith($"/{schemaName}", schema.Text("$ref"), StringComparison.Ordinal);
    }

    [Fact]
    public void ScheduleBody_NamesEveryFieldAndRefusesOthers()
    {
        var document = openApi.Json;

        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty("ScheduleIntentInput");

        Assert.Equal(
            ["agent", "channelIds", "channelMode", "customInstructions", "daysOfWeek", "deliverTo", "recurring", "skipDates", "skipIfEmpty", "timeOfDay", "timeZone", "title"],
            schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Schedule_ResponseDescribesTheDerivedTemporalSchedule()
    {
        var document = openApi.Json;

        var created = document.GetProperty("paths").GetProperty("/v1/schedules").GetProperty("post").GetProperty("responses").GetProperty("201");
        var schedule = Schema(document, created.GetProperty("content").GetProperty("application/json").GetProperty("schema"));

        foreach (var field in new[] { "id", "status", "pausedBy", "nextRuns", "sync", "temporal" })
        {
            Assert.True(schedule.GetProperty("properties").TryGetProperty(field, out _), $"The schedule has no {field}.");
        }
    }

    [Theory]
    [InlineData("ProblemDetails")]
    [InlineData("HttpValidationProblemDetails")]
    public void Problem_DeclaresTheTraceIdEveryProblemCarries(string name)
    {
        var problem = openApi.Json.GetProperty("components").GetProperty("schemas").GetProperty(name);

        Assert.Equal("string", problem.GetProperty("properties").GetProperty("traceId").Text("type"));
        Assert.Contains("traceId", problem.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(name == "HttpValidationProblemDetails", problem.GetProperty("required").EnumerateArray().Any(r => r.GetString() == "errors"));
    }

    [Theory]
    [InlineData("get", "/v1/schedules/{id}/runs", "limit", 1, 500)]
    [InlineData("get", "/v1/recaps", "limit", 1, 200)]
    [InlineData("post", "/v1/schedules/preview", "count", 1, 50)]
    public void QueryParameter_DeclaresTheRangeTheHandlerChecks(string method, string path, string name, int minimum, int maximum)
    {
        var parameter = openApi.Json.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters")
            .EnumerateArray().Single(p => p.Text("name") == name);

        var schema = parameter.GetProperty("schema");
        Assert.Equal("integer", schema.Text("type"));
        Assert.Equal(minimum, schema.GetProperty("minimum").GetInt32());
        Assert.Equal(maximum, schema.GetProperty("maximum").GetInt32());
    }

    [Fact]
    public void ScheduleBody_DeclaresTheValidatorsLimits()
    {
        var properties = openApi.Json.GetProperty("components").GetProperty("schemas").GetProperty("ScheduleIntentInput").GetProperty("properties");

        Assert.Equal(255, properties.GetProperty("title").GetProperty("maxLength").GetInt32());
        Assert.Equal(500, properties.GetProperty("customInstructions").GetProperty("maxLength").GetInt32());
        Assert.Equal(20, properties.GetProperty("channelIds").GetProperty("maxItems").GetInt32());
        Assert.Contains("America/New_York", properties.GetProperty("timeZone").GetProperty("enum").EnumerateArray().Select(z => z.GetString()));
    }

    [Theory]
    [InlineData("put", "/v1/channels/{id}", true)]
    [InlineData("post", "/v1/channels/{id}/posts", true)]
    [InlineData("post", "/v1/channels/{id}/read", false)]
    [InlineData("get", "/v1/channels", false)]
    public void ChatStoreCall_ListsTheAdminRoleItNeeds(string method, string path, bool admin)
    {
        var requirement = openApi.Json.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("security")[0];

        Assert.Equal(admin ? ["admin"] : [], requirement.GetProperty("Bearer").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void Document_HasTheBearerSchemeAndLeavesHealthPublic()
    {
        var document = openApi.Json;

        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", bearer.Text("type"));
        Assert.Equal("bearer", bearer.Text("scheme"));
        Assert.Equal("JWT", bearer.Text("bearerFormat"));
        var paths = document.GetProperty("paths");
        Assert.False(paths.GetProperty("/health/live").GetProperty("get").TryGetProperty("security", out _));
        Assert.True(paths.GetProperty("/health/ready").GetProperty("get").GetProperty("responses").TryGetProperty("503", out _));
    }
}
