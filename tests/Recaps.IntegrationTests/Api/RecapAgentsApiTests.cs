using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Recaps.Tests.Embedded;

namespace Recaps.Tests.Api;

/// <summary>LLM agents as the API offers them: configured names, the recap's agent fields, and regeneration.</summary>
public class RecapAgentsApiTests(PostgresFixture postgres)
{
    private static readonly (string, string?)[] GptAgent =
    [
        ("Recaps:Agents:gpt:Endpoint", "http://127.0.0.1:9/v1"),
        ("Recaps:Agents:gpt:Model", "fake-model"),
    ];

    [Fact]
    public async Task Start_WithABadAgent_FailsNamingTheSetting()
    {
        var builder = EmbeddedHosts.Builder(Environments.Production, AppContext.BaseDirectory, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Recaps"] = await postgres.Server.CreateDatabaseAsync(),
            ["Auth:SigningKey"] = ApiHost.SigningKey,
            ["Recaps:Agents:gpt:Endpoint"] = "localhost:11434",
            ["Recaps:Agents:gpt:Model"] = "fake-model",
        });
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(ApiCalls.Cancel));

        Assert.Contains("Recaps:Agents:gpt:Endpoint must be an absolute http or https address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_WithAConfiguredAgent_IsAccepted_AndAnUnknownOneIsRejectedNamingAgent()
    {
        await using var api = await ApiHost.StartAsync(postgres, GptAgent);
        using var alice = api.As("alice");
        await api.ChannelAsync("dev", "alice");

        var accepted = await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev").With("agent", "gpt"));
        var rejected = await alice.PostAtAsync("/v1/schedules", ScheduleBodies.Weekdays("dev").With("agent", "claude"));

        Assert.Equal("gpt", accepted.Text("agent"));
        var problem = await rejected.ValidationProblemAsync("agent");
        Assert.Contains("extractive, gpt", problem.GetProperty("agent")[0].GetString(), StringComparison.Ordinal);
        var document = await alice.GetJsonAsync("/openapi/v1.json");
        var agents = document.GetProperty("components").GetProperty("schemas").GetProperty("ScheduleIntentInput").GetProperty("properties").GetProperty("agent").GetProperty("enum");
        Assert.Equal(["extractive", "gpt", null], agents.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.Null ? null : a.GetString()));
    }

    [Fact]
    public async Task Recap_ByExtractive_HasAgentVersionAndNoFallbackOrUsage()
    {
        await using var api = await ApiHost.StartAsync(postgres);
        using var alice = api.As("alice");
        var (_, generated) = await api.RunFirstOccurrenceAsync(await DevScheduleAsync(api, alice));

        var recap = await alice.GetJsonAsync($"/v1/recaps/{generated!.RecapId}");

        Assert.Equal(("extractive", 1), (recap.Text("agent"), recap.GetProperty("version").GetInt32()));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (recap.GetProperty("fallback").ValueKind, recap.GetProperty("usage").ValueKind));
    }

    [Fact]
    public async Task Regenerate_OwnRecap_Is202WithTheNextVersion_AndADoubleClickGetsTheSameOne()
    {
        await using var api = await ApiHost.StartAsync(postgres, GptAgent);
        using var alice = api.As("alice");
        var (_, generated) = await api.RunFirstOccurrenceAsync(await DevScheduleAsync(api, alice));

        var response = await alice.PostAtAsync($"/v1/recaps/{generated!.RecapId}/regenerate", new { agent = "gpt" });
        var again = await (await alice.PostAtAsync($"/v1/recaps/{generated.RecapId}/regenerate", new { agent = "gpt" })).JsonAsync();
        var bySchedulesAgent = await (await alice.PostAtAsync($"/v1/recaps/{generated.RecapId}/regenerate")).JsonAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var requested = await response.JsonAsync();
        Assert.Equal((2, "gpt"), (requested.GetProperty("version").GetInt32(), requested.Text("agent")));
        Assert.Equal($"/v1/recaps/{requested.Text("recapId")}", response.Headers.Location?.OriginalString);
        Assert.Equal(requested.Text("recapId"), again.Text("recapId"));
        Assert.Equal((3, "extractive"), (bySchedulesAgent.GetProperty("version").GetInt32(), bySchedulesAgent.Text("agent")));
        // Not stored until its workflow has written it.
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAtAsync($"/v1/recaps/{requested.Text("recapId")}")).StatusCode);
    }

    [Fact]
    public async Task Regenerate_AnUnknownAgent_Is400NamingAgent_AndSomeoneElsesRecapIs404()
    {
        await using var api = await ApiHost.StartAsync(postgres, GptAgent);
        using var alice = api.As("alice");
        using var bob = api.As("bob");
        var (_, generated) = await api.RunFirstOccurrenceAsync(await DevScheduleAsync(api, alice));

        var unknown = await alice.PostAtAsync($"/v1/recaps/{generated!.RecapId}/regenerate", new { agent = "claude" });
        var others = await bob.PostAtAsync($"/v1/recaps/{generated.RecapId}/regenerate", new { agent = "gpt" });
        var missing = await alice.PostAtAsync($"/v1/recaps/{Guid.NewGuid()}/regenerate");

        await unknown.ValidationProblemAsync("agent");
        await others.ProblemAsync(HttpStatusCode.NotFound);
        await missing.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await api.CountAsync("recap_regenerations"));
    }

    [Fact]
    public async Task Regenerate_WithoutAnAgent_WhenTheSchedulesAgentIsNoLongerConfigured_Is400NamingAgentAndStoresNothing()
    {
        await using var api = await ApiHost.StartAsync(postgres, GptAgent);
        using var alice = api.As("alice");
        var (_, generated) = await api.RunFirstOccurrenceAsync(await DevScheduleAsync(api, alice));
        // An agent taken out of the configuration since the schedule chose it.
        await using (var retired = api.Database.CreateCommand("UPDATE schedules SET agent = 'retired'"))
        {
            await retired.ExecuteNonQueryAsync(ApiCalls.Cancel);
        }

        var errors = await (await alice.PostAtAsync($"/v1/recaps/{generated!.RecapId}/regenerate")).ValidationProblemAsync("agent");

        Assert.Contains("'retired' is no longer configured", Assert.Single(errors.GetProperty("agent").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await api.CountAsync("recap_regenerations"));
        Assert.Equal(HttpStatusCode.Accepted, (await alice.PostAtAsync($"/v1/recaps/{generated.RecapId}/regenerate", new { agent = "gpt" })).StatusCode);
    }

    private static async Task<JsonElement> DevScheduleAsync(ApiHost api, HttpClient alice)
    {
        await api.ChannelAsync("dev", "alice", "bob");
        await api.PostAsync("dev", "bob", "The release is blocked on the migration review.");
        return await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"));
    }
}
