using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Recaps.Testing.Agents;
using Recaps.Testing.Delivery;
using Recaps.Tests.Api;
using Recaps.Tests.RecapRuns;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.Generation;
using Recaps.Workflows.RecapRuns;
using static Recaps.Testing.Agents.FakeModel;

namespace Recaps.Tests.EndToEnd;

/// <summary>
/// Recaps by an LLM agent on a real worker and Temporal server, the provider a fake speaking the OpenAI wire
/// format, delivered to a loopback webhook receiver and SMTP server.
/// </summary>
[Collection(EndToEndGroup.Name)]
public class AgentsEndToEndTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    private const string Model = "fake-model";
    private const string Secret = "e2e-secret-0123456789";

    [Fact]
    public async Task LlmAgentSchedule_Fires_CallsTheProviderOnceWithThePostsAsData_StoresItsCitedRecap_AndDeliversItOnceByWebhookAndEmail()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(request =>
            FakeReply.Completion(Answer([("Deploy is blocked on a review", [.. DataIds(request), "invented"])]), usage: (321, 45)));
        await using var webhook = await WebhookReceiver.StartAsync();
        await using var smtp = SmtpReceiver.Start();
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, settings: Settings(provider, smtp));
        using var alice = await RunsEndToEndTests.SeededAsync(world);

        var recap = await FiredAndDeliveredAsync(world, alice, webhook);

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
        AssertDeliveredOnce(webhook, smtp, "Deploy is blocked on a review");
    }

    [Fact]
    public async Task ProviderDown_ScheduleFires_TheExtractiveRecapMarkedFallbackWithTheReason_IsDeliveredOnce()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(_ => FakeReply.Error(500, "the model is down", "server_error"));
        await using var webhook = await WebhookReceiver.StartAsync();
        await using var smtp = SmtpReceiver.Start();
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, settings: Settings(provider, smtp));
        using var alice = await RunsEndToEndTests.SeededAsync(world);

        var recap = await FiredAndDeliveredAsync(world, alice, webhook);

        // The SDK's one retry, then the fallback: the activity itself is not retried into the provider again.
        Assert.Equal(2, provider.Requests.Count);
        Assert.Equal(("gpt", "provider_error"), (recap.Text("agent"), recap.GetProperty("fallback").Text("reason")));
        RunsEndToEndTests.AssertRecapOfTheSeededPost(recap);
        var highlight = Assert.Single(Assert.Single(recap.GetProperty("channels").EnumerateArray()).GetProperty("highlights").EnumerateArray());
        Assert.StartsWith("bob: Deploy is blocked", highlight.Text("text"), StringComparison.Ordinal);
        Assert.Equal(0, recap.GetProperty("usage").GetProperty("calls").GetInt32());
        AssertDeliveredOnce(webhook, smtp, "bob: Deploy is blocked");
    }

    [Fact]
    public async Task Regenerate_ByAnotherAgent_StoresVersion2OfTheSameWindowOnce_AndDeliversItWhereTheFirstWent()
    {
        // The provider answers only once the second request has been answered, so version 2 is still
        // waiting then, however fast the worker is: a request made after it was stored is a new version.
        using var askedTwice = new ManualResetEventSlim();
        await using var provider = await FakeChatCompletionsServer.StartAsync(request =>
        {
            askedTwice.Wait(TimeSpan.FromSeconds(30));
            return FakeReply.Completion(Answer([("Blocked deploy", DataIds(request).ToArray())]), usage: (100, 10));
        });
        await using var webhook = await WebhookReceiver.StartAsync();
        await using var smtp = SmtpReceiver.Start();
        await using var world = await EndToEndWorld.StartAsync(temporal, postgres, settings: Settings(provider, smtp));
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var targets = new { targets = new[] { new { type = "webhook", url = webhook.Url.ToString(), secret = Secret } } };
        Assert.Equal(HttpStatusCode.OK, (await alice.PutAtAsync("/v1/me/delivery", targets)).StatusCode);
        var id = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id();
        var first = await RecapOfRunAsync(alice, id);

        var response = await alice.PostAtAsync($"/v1/recaps/{first.Id()}/regenerate", new { agent = "gpt" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var requested = await response.JsonAsync();
        var again = await (await alice.PostAtAsync($"/v1/recaps/{first.Id()}/regenerate", new { agent = "gpt" })).JsonAsync();
        askedTwice.Set();
        await Eventually.UntilAsync(
            "version 2 to be stored",
            () => alice.GetAtAsync($"/v1/recaps/{requested.Text("recapId")}"),
            r => r.StatusCode == HttpStatusCode.OK);
        var recaps = await Eventually.UntilAsync(
            "both versions to be delivered",
            () => alice.GetJsonAsync("/v1/recaps"),
            list => list.GetProperty("items").EnumerateArray().All(r => r.GetProperty("deliveries").EnumerateArray().Any(d => d.Text("status") == "delivered")));

        var recap = Assert.Single(recaps.GetProperty("items").EnumerateArray(), r => r.Id() == requested.Text("recapId"));

        Assert.Equal((2, 2), (requested.GetProperty("version").GetInt32(), again.GetProperty("version").GetInt32()));
        Assert.Equal(requested.Text("recapId"), again.Text("recapId"));
        Assert.Equal((2, "gpt", first.Text("runId")), (recap.GetProperty("version").GetInt32(), recap.Text("agent"), recap.Text("runId")));
        Assert.Equal((first.Text("windowStart"), first.Text("windowEnd")), (recap.Text("windowStart"), recap.Text("windowEnd")));
        Assert.Equal(2, recaps.GetProperty("items").GetArrayLength());
        Assert.Single(provider.Requests);
        // Each version posted once: the first (extractive) and the regenerated one.
        Assert.Equal(
            [false, true],
            webhook.Received.Select(w => JsonDocument.Parse(w.Body).RootElement.Text("text").Contains("Blocked deploy", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task Regenerate_ByAnAgentTheWorkerNoLongerHas_IsRecordedFailed_AndAskingAgainMakesANewVersion()
    {
        await using var provider = await FakeChatCompletionsServer.StartAsync(_ => FakeReply.Error(500, "unused", "server_error"));
        // The API still offers `gpt`; the worker's configuration has lost it.
        await using var world = await EndToEndWorld.StartAsync(
            temporal, postgres, services => services.AddSingleton(new RecapGenerators([new ExtractiveRecapGenerator()])), Agent(provider));
        using var alice = await RunsEndToEndTests.SeededAsync(world);
        var first = await RecapOfRunAsync(alice, (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev"))).Id());

        var requested = await (await alice.PostAtAsync($"/v1/recaps/{first.Id()}/regenerate", new { agent = "gpt" })).JsonAsync();
        var error = await Eventually.UntilAsync(
            "the regeneration to be recorded failed",
            async () =>
            {
                await using var failed = world.Api.Database.CreateCommand("SELECT error FROM recap_regenerations WHERE failed_at IS NOT NULL");
                return await failed.ExecuteScalarAsync(ApiCalls.Cancel) as string;
            },
            found => found is not null);
        var again = await (await alice.PostAtAsync($"/v1/recaps/{first.Id()}/regenerate", new { agent = "gpt" })).JsonAsync();

        Assert.StartsWith("invalid_schedule:", error, StringComparison.Ordinal);
        Assert.Equal((2, 3), (requested.GetProperty("version").GetInt32(), again.GetProperty("version").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAtAsync($"/v1/recaps/{requested.Text("recapId")}")).StatusCode);
        Assert.Empty(provider.Requests);
    }

    private static Dictionary<string, string?> Agent(FakeChatCompletionsServer provider) => new()
    {
        ["Recaps:Agents:gpt:Endpoint"] = provider.Endpoint,
        ["Recaps:Agents:gpt:Model"] = Model,
        ["Recaps:Agents:gpt:MaxRetries"] = "1",
    };

    private static Dictionary<string, string?> Settings(FakeChatCompletionsServer provider, SmtpReceiver smtp) =>
        new([.. Agent(provider), .. DeliveryEndToEndTests.Settings(smtp)]);

    /// <summary>
    /// Alice's every-day schedule with the <c>gpt</c> agent, delivering to the webhook and by email, fired by
    /// Temporal at the next whole minute; its recap once both deliveries are recorded and its workflow is done.
    /// </summary>
    private static async Task<JsonElement> FiredAndDeliveredAsync(EndToEndWorld world, HttpClient alice, WebhookReceiver webhook)
    {
        var (due, deadline) = OccurrencesEndToEndTests.NextWholeMinute();
        var id = await EndToEndWorld.CreateSyncedAsync(alice, OccurrencesEndToEndTests.Daily("UTC", due.InUtc().TimeOfDay).With("agent", "gpt").With("deliverTo", new object[]
        {
            new { type = "webhook", url = webhook.Url.ToString(), secret = Secret },
            new { type = "email", address = "team@example.com" },
        }));

        var run = await EndToEndWorld.RunAsync(alice, id, $"the occurrence due at {due}", r => EndToEndWorld.NominalTime(r) == due, "completed", deadline);
        var workflowId = RecapWorld.ScheduledWorkflowId(Guid.Parse(id), due);
        Assert.Equal(workflowId, run.Text("workflowId"));
        var outcome = await world.Temporal.GetWorkflowHandle(workflowId).GetResultAsync<RecapOutcome>();
        Assert.Equal((RecapOutcomeStatus.Completed, run.Text("recapId")), (outcome.Status, outcome.RecapId.ToString()));
        var recap = await alice.GetJsonAsync($"/v1/recaps/{run.Text("recapId")}");
        Assert.Equal(
            [("webhook", "delivered"), ("email", "delivered")],
            recap.GetProperty("deliveries").EnumerateArray().Select(d => (d.GetProperty("target").Text("type"), d.Text("status"))));
        return recap;
    }

    /// <summary>One signed webhook post and one email, each carrying <paramref name="expected"/>.</summary>
    private static void AssertDeliveredOnce(WebhookReceiver webhook, SmtpReceiver smtp, string expected)
    {
        var delivered = Assert.Single(webhook.Received);
        var signature = delivered.Headers[WebhookSignature.Header];
        Assert.Equal(delivered.SignatureBy(Secret, long.Parse(signature.Split(',')[0]["t=".Length..], CultureInfo.InvariantCulture)), signature);
        Assert.Contains(expected, JsonDocument.Parse(delivered.Body).RootElement.Text("text"), StringComparison.Ordinal);
        var mail = Assert.Single(smtp.Messages);
        Assert.Equal("team@example.com", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Contains(expected, mail.TextBody, StringComparison.Ordinal);
    }

    /// <summary>A run-now's recap, once its run has completed.</summary>
    private static async Task<JsonElement> RecapOfRunAsync(HttpClient user, string scheduleId)
    {
        var runId = await RunsEndToEndTests.RunNowAsync(user, scheduleId);
        var run = await EndToEndWorld.RunAsync(user, scheduleId, $"run-now {runId}", r => r.Id() == runId, "completed");
        return await user.GetJsonAsync($"/v1/recaps/{run.Text("recapId")}");
    }
}
