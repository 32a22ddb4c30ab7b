using System.Net;
using System.Text.Json;

namespace Recaps.Tests.Api;

/// <summary><c>GET /v1/agents</c>: the names a schedule or a regeneration may choose, never where or how an agent is reached.</summary>
public class AgentsApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task List_IsExtractiveAndEachConfiguredAgentWithItsModel_WithoutEndpointOrKey()
    {
        await using var api = await ApiHost.StartAsync(
            postgres,
            ("Recaps:Agents:gpt:Endpoint", "http://127.0.0.1:9/v1"),
            ("Recaps:Agents:gpt:Model", "fake-model"),
            ("Recaps:Agents:gpt:ApiKey", "sk-secret-key"),
            ("Recaps:Agents:claude:Endpoint", "http://127.0.0.1:9/v1"),
            ("Recaps:Agents:claude:Model", "other-model"));
        using var alice = api.As("alice");

        var response = await alice.GetAtAsync("/v1/agents");
        var body = await response.Content.ReadAsStringAsync(ApiCalls.Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"items":[{"name":"claude","kind":"llm","model":"other-model"},{"name":"extractive","kind":"extractive","model":null},{"name":"gpt","kind":"llm","model":"fake-model"}]}""",
            body);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-key", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NamesWhatASchedulesAgentAccepts()
    {
        await using var api = await ApiHost.StartAsync(postgres, ("Recaps:Agents:gpt:Endpoint", "http://127.0.0.1:9/v1"), ("Recaps:Agents:gpt:Model", "m"));
        using var alice = api.As("alice");
        await api.ChannelAsync("dev", "alice");

        var names = (await alice.GetJsonAsync("/v1/agents")).GetProperty("items").EnumerateArray().Select(a => a.Text("name")).ToList();
        var document = await alice.GetJsonAsync("/openapi/v1.json");
        var accepted = document.GetProperty("components").GetProperty("schemas").GetProperty("ScheduleIntentInput")
            .GetProperty("properties").GetProperty("agent").GetProperty("enum").EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString());

        Assert.Equal(accepted, names);
        foreach (var name in names)
        {
            await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev").With("agent", name));
        }
    }

    [Fact]
    public async Task List_WithoutAToken_Is401()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var anonymous = api.Anonymous();

        await (await anonymous.GetAtAsync("/v1/agents")).ProblemAsync(HttpStatusCode.Unauthorized);
    }
}
