using System.Net;

namespace Recaps.Tests.Api;

/// <summary>Who may call what: a valid token for every call, the admin role for the chat store's writes.</summary>
public class AuthApiTests(PostgresFixture postgres)
{
    /// <summary>Every call that needs a token, with a body it would accept.</summary>
    public static TheoryData<string, string> ProtectedCalls => new()
    {
        { "POST", "/v1/schedules" },
        { "GET", "/v1/schedules" },
        { "GET", $"/v1/schedules/{Guid.Empty}" },
        { "PUT", $"/v1/schedules/{Guid.Empty}" },
        { "DELETE", $"/v1/schedules/{Guid.Empty}" },
        { "POST", $"/v1/schedules/{Guid.Empty}/pause" },
        { "POST", $"/v1/schedules/{Guid.Empty}/resume" },
        { "POST", $"/v1/schedules/{Guid.Empty}/run" },
        { "GET", $"/v1/schedules/{Guid.Empty}/runs" },
        { "POST", "/v1/schedules/preview" },
        { "GET", "/v1/recaps" },
        { "GET", $"/v1/recaps/{Guid.Empty}" },
        { "PUT", "/v1/channels/dev" },
        { "POST", "/v1/channels/dev/posts" },
        { "POST", "/v1/channels/dev/read" },
    };

    private static object? BodyFor(string method, string path) => (method, path) switch
    {
        ("PUT", var p) when p.StartsWith("/v1/channels/", StringComparison.Ordinal) => new { name = "dev", memberIds = ScheduleBodies.List("alice") },
        (_, var p) when p.EndsWith("/posts", StringComparison.Ordinal) => new { authorId = "alice", message = "hi" },
        ("POST", "/v1/schedules") or ("POST", "/v1/schedules/preview") or ("PUT", _) => ScheduleBodies.Weekdays(),
        _ => null,
    };

    private static async Task AssertUnauthorizedAsync(HttpClient client, string method, string path)
    {
        var response = await client.SendJsonAsync(new HttpMethod(method), path, BodyFor(method, path));
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Theory]
    [MemberData(nameof(ProtectedCalls))]
    public async Task Call_WithoutAToken_Is401Problem(string method, string path)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var anonymous = api.Anonymous();

        await AssertUnauthorizedAsync(anonymous, method, path);
        Assert.Equal(0, await api.CountAsync("schedules"));
        Assert.Equal(0, await api.CountAsync("channels"));
    }

    [Fact]
    public async Task Call_TokenSignedWithAnotherKey_Is401()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var forged = api.WithToken(ApiHost.Token("alice", signingKey: "another-signing-key-of-at-least-32-bytes!"));

        await AssertUnauthorizedAsync(forged, "POST", "/v1/schedules");
        Assert.Equal(0, await api.CountAsync("schedules"));
    }

    [Fact]
    public async Task Call_TokenForAnotherAudience_Is401()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var elsewhere = api.WithToken(ApiHost.Token("alice", audience: "another-api"));

        await AssertUnauthorizedAsync(elsewhere, "GET", "/v1/schedules");
    }

    [Fact]
    public async Task Call_ExpiredToken_Is401()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var expired = api.WithToken(ApiHost.Token("alice", expires: DateTime.UtcNow.AddMinutes(-10)));

        await AssertUnauthorizedAsync(expired, "GET", "/v1/schedules");
    }

    [Fact]
    public async Task Call_TokenExpiredWithinTheSkew_IsStillAccepted()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        // 10 s of the 30 s allowed for clocks that differ between the issuer and the API.
        using var justExpired = api.WithToken(ApiHost.Token("alice", expires: DateTime.UtcNow.AddSeconds(-10)));

        Assert.Equal(HttpStatusCode.OK, (await justExpired.GetAtAsync("/v1/schedules")).StatusCode);
    }

    [Fact]
    public async Task Call_TokenExpiredAMinuteAgo_Is401()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var expired = api.WithToken(ApiHost.Token("alice", expires: DateTime.UtcNow.AddSeconds(-60)));

        await AssertUnauthorizedAsync(expired, "GET", "/v1/schedules");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" alice")]
    [InlineData("ali\u0007ce")]
    [InlineData("300")]
    public async Task Call_TokenWithoutAUsableSub_Is401AndStoresNothing(string? sub)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var nobody = api.WithToken(ApiHost.Token(sub == "300" ? new string('a', 300) : sub));

        await AssertUnauthorizedAsync(nobody, "POST", "/v1/schedules");
        Assert.Equal(0, await api.CountAsync("schedules"));
    }

    [Fact]
    public async Task Call_SubOf255Characters_IsAccepted()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var longest = api.WithToken(ApiHost.Token(new string('a', 255)));

        Assert.Equal(HttpStatusCode.OK, (await longest.GetAsync(ApiCalls.Url("/v1/schedules"), ApiCalls.Cancel)).StatusCode);
    }

    [Fact]
    public async Task Call_TokenSignedWithAnotherKey_SaysNotWhy()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var forged = api.WithToken(ApiHost.Token("alice", signingKey: "another-signing-key-of-at-least-32-bytes!"));

        var response = await forged.GetAsync(ApiCalls.Url("/v1/schedules"), ApiCalls.Cancel);

        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.DoesNotContain("error_description", challenge.Parameter ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("signature", challenge.Parameter ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Call_NotAJwt_Is401()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var garbage = api.WithToken("not-a-jwt");

        await AssertUnauthorizedAsync(garbage, "GET", "/v1/schedules");
    }

    [Theory]
    [InlineData("PUT", "/v1/channels/dev")]
    [InlineData("POST", "/v1/channels/dev/posts")]
    public async Task AdminCall_ByAUser_Is403AndStoresNothing(string method, string path)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");

        var response = await alice.SendJsonAsync(new HttpMethod(method), path, BodyFor(method, path));

        await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await api.CountAsync("channels"));
    }

    [Fact]
    public async Task ReadCall_ByAnAdmin_WorksLikeAnyUsers()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var root = api.As("root", admin: true);

        var created = await root.CreateScheduleAsync();
        var list = await root.GetJsonAsync("/v1/schedules");

        Assert.Equal("root", created.Text("userId"));
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Admin_SeesNoOtherUsersSchedules()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        using var root = api.As("root", admin: true);
        var created = await alice.CreateScheduleAsync();

        await (await root.GetAtAsync($"/v1/schedules/{created.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await root.GetJsonAsync("/v1/schedules")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task PublicCall_WithoutAToken_Is200(string path)
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var anonymous = api.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAtAsync(path)).StatusCode);
    }
}
