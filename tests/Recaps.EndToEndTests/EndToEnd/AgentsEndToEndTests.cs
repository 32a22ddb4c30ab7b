using System.Net;
using System.Text.Json;
using Recaps.Testing.Agents;
using Recaps.Tests.Api;
using static Recaps.Testing.Agents.FakeModel;

namespace Recaps.Tests.EndToEnd;

/// <summary>Recaps by an LLM agent on a real worker and Temporal server, the provider a fake speaking the OpenAI wire format.</summary>
[Collection(EndToEndGroup.Name)]
public class AgentsEndToEndTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    private const string Model = "fake-model";

    [Fact]
    public async Task LlmAgentSchedule_Runs_CallsTheProviderOnceWithThePostsAsDataAndStoresItsCitedRecapAndUsage()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(request =>
            FakeReply.Completion(Answer([("Deploy is blocked on a review", [.. DataIds(request), "invented"])]), usage: (321, 45)));
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, settings: Agent(provider));
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev").With("agent", "gpt"))).Id();

        var recap = await RecapOfRunAsync(alice, id);

        var request = Assert.Single(provider.Requests);
        var post = Assert.Single(Data(request).GetProperty("posts").EnumerateArray());
        Assert.Equal("Deploy is blocked: alice please review the migration by Friday", post.Text("text"));
        Assert.Equal(("gpt", JsonValueKind.Null, 1), (recap.Text("agent"), recap.GetProperty("fallback").ValueKind, recap.GetProperty("version").GetInt32()));
        var highlight = Assert.Single(Assert.Single(recap.GetProperty("channels").EnumerateArray()).GetProperty("highlights").EnumerateArray());
        Assert.Equal([post.Text("id")], highlight.GetProperty("postIds").EnumerateArray().Select(p => p.GetString()));
        var usage = recap.GetProperty("usage");
        Assert.Equal((Model, 321L, 45L, 1, 1), (
            usage.Text("model"), usage.GetProperty("inputTokens").GetInt64(), usage.GetProperty("outputTokens").GetInt64(),
            usage.GetProperty("calls").GetInt32(), usage.GetProperty("droppedCitations").GetInt32()));
    }

    [Fact]
    public async Task ProviderDown_RecapIsTheExtractiveOneMarkedFallbackWithTheReason()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(_ => FakeReply.Error(500, "the model is down", "server_error"));
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, settings: Agent(provider));
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev").With("agent", "gpt"))).Id();

        var recap = await RecapOfRunAsync(alice, id);

        // The SDK's one retry, then the fallback: the activity itself is not retried into the provider again.
        Assert.Equal(2, provider.Requests.Count);
        Assert.Equal(("gpt", "provider_error"), (recap.Text("agent"), recap.GetProperty("fallback").Text("reason")));
        RunsEndToEndTests.AssertRecapOfTheSeededPost(recap);
        var highlight = Assert.Single(Assert.Single(recap.GetProperty("channels").EnumerateArray()).GetProperty("highlights").EnumerateArray());
        Assert.StartsWith("bob: Deploy is blocked", highlight.Text("text"), StringComparison.Ordinal);
        Assert.Equal(0, recap.GetProperty("usage").GetProperty("calls").GetInt32());
    }

    [Fact]
    public async Task Regenerate_ByAnotherAgent_StoresVersion2OfTheSameWindowOnce()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(request =>
            FakeReply.Completion(Answer([("Blocked deploy", DataIds(request).ToArray())]), usage: (100, 10)));
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, settings: Agent(provider));
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var id = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id();
        var first = await RecapOfRunAsync(alice, id);

        var response = await alice.PostAtAsync($"/v1/recaps/{first.Id()}/regenerate", new { agent = "gpt" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var requested = await response.JsonAsync();
        var again = await (await alice.PostAtAsync($"/v1/recaps/{first.Id()}/regenerate", new { agent = "gpt" })).JsonAsync();
        var second = await Eventually.UntilAsync(
            "version 2 to be stored",
            () => alice.GetAtAsync($"/v1/recaps/{requested.Text("recapId")}"),
            r => r.StatusCode == HttpStatusCode.OK);

        var recap = await second.JsonAsync();
        Assert.Equal((2, 2), (requested.GetProperty("version").GetInt32(), again.GetProperty("version").GetInt32()));
        Assert.Equal(requested.Text("recapId"), again.Text("recapId"));
        Assert.Equal((2, "gpt", first.Text("runId")), (recap.GetProperty("version").GetInt32(), recap.Text("agent"), recap.Text("runId")));
        Assert.Equal((first.Text("windowStart"), first.Text("windowEnd")), (recap.Text("windowStart"), recap.Text("windowEnd")));
        Assert.Equal(2, (await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").GetArrayLength());
        Assert.Single(provider.Requests);
    }

    private static Dictionary<string, string?> Agent(FakeChatCompletionsServer provider) => new()
    {
        ["Recaps:Agents:gpt:Endpoint"] = provider.Endpoint,
        ["Recaps:Agents:gpt:Model"] = Model,
        ["Recaps:Agents:gpt:MaxRetries"] = "1",
    };

    /// <summary>A run-now's recap, once its run has completed.</summary>
    private static async Task<JsonElement> RecapOfRunAsync(HttpClient user, string scheduleId)
    {
        var runId = await RunsEndToEndTests.RunNowAsync(user, scheduleId);
        var run = await EndToEndWorld.RunAsync(user, scheduleId, $"run-now {runId}", r => r.Id() == runId, "completed");
        return await user.GetJsonAsync($"/v1/recaps/{run.Text("recapId")}");
    }
}
