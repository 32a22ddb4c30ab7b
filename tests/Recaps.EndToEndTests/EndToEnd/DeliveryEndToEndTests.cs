using Npgsql;
using Recaps.Testing.Delivery;
using Recaps.Tests.Api;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.RecapRuns;
using Recaps.Workflows.Temporal;
using Temporalio.Api.Enums.V1;

namespace Recaps.Tests.EndToEnd;

/// <summary>Recaps delivered to a webhook and by email on the real server, and a worker killed between the stored recap and its delivery.</summary>
[Collection(FaultsGroup.Name)]
public class DeliveryEndToEndTests(TemporalServerFixture temporal, PostgresFixture postgres)
{
    private const string Secret = "e2e-secret-0123456789";

    [Fact]
    public async Task WorkerProcess_KilledAfterTheRecapIsStoredBeforeItsDelivery_RestartedWorkerDeliversOnceToEachTarget()
    {
        var server = temporal.Require();
        await using var webhook = await WebhookReceiver.StartAsync();
        await using var smtp = SmtpReceiver.Start();
        await using var world = EndToEndWorld.WithoutWorker(server, await postgres.Server.CreateDatabaseAsync(), Settings(smtp));
        var client = await server.ConnectAsync();
        var killed = WorkerProcess.Start(world.WorkerSettings);
        WorkerProcess? restarted = null;
        try
        {
            using var alice = await RunsEndToEndTests.SeededAsync(world);
            var id = (await alice.CreateScheduleAsync(ScheduleBodies.Weekdays("dev").With("deliverTo", new object[]
            {
                new { type = "webhook", url = webhook.Url.ToString(), secret = Secret },
                new { type = "email", address = "team@example.com" },
            }))).Id();
            string runId;
            await using (await FaultsEndToEndTests.HoldAsync(world.Api.Database, "recap_deliveries"))
            {
                runId = await RunsEndToEndTests.RunNowAsync(alice, id);
                var workflowId = TemporalScheduleSpecTranslator.RunNowWorkflowId(Guid.Parse(id), Guid.Parse(runId));
                // The gap: the recap is stored and its run completed by MarkExecuted, whose routing is under way and held.
                await FaultsEndToEndTests.PendingActivityAsync(client, workflowId, "MarkExecuted", "routing to start", a => a.State == PendingActivityState.Started);
                await EndToEndWorld.RunAsync(alice, id, $"run-now {runId}", r => r.Id() == runId, "completed");
                Assert.Empty(webhook.Received);
                Assert.Empty(smtp.Messages);

                await killed.KillAsync();
                restarted = WorkerProcess.Start(world.WorkerSettings);
            }

            var recap = await Eventually.UntilAsync(
                "both deliveries recorded",
                async () => Assert.Single((await alice.GetJsonAsync("/v1/recaps")).GetProperty("items").EnumerateArray()),
                // Both routed (a recap read before its routing commits has none, and All() of none is true) and both sent.
                r => r.GetProperty("deliveries").EnumerateArray().Count(d => d.Text("status") == "delivered") == 2);
            var outcome = await client.GetWorkflowHandle(TemporalScheduleSpecTranslator.RunNowWorkflowId(Guid.Parse(id), Guid.Parse(runId))).GetResultAsync<RecapOutcome>();

            Assert.Equal(new RecapOutcome(RecapOutcomeStatus.Completed, Guid.Parse(runId), Guid.Parse(recap.Id()), null), outcome);
            Assert.Equal(["webhook", "email"], recap.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("target").Text("type")));
            var delivered = Assert.Single(webhook.Received);
            var mail = Assert.Single(smtp.Messages);
            var ids = await DeliveryIdsAsync(world.Api.Database);
            Assert.Equal(ids[0].ToString(), delivered.Headers[WebhookSender.DeliveryHeader]);
            Assert.StartsWith("t=", delivered.Headers[WebhookSignature.Header], StringComparison.Ordinal);
            Assert.Equal($"{ids[1]:N}@recaps", mail.MessageId);
            Assert.Equal("team@example.com", Assert.Single(mail.To.Mailboxes).Address);
        }
        finally
        {
            await killed.DisposeAsync();
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }

            await EndToEndWorld.DeleteTemporalSchedulesAsync(client, world.Api.Database);
        }
    }

    /// <summary>Loopback receivers are private addresses: this deployment allows them, and sends email through the test's SMTP server.</summary>
    internal static Dictionary<string, string?> Settings(SmtpReceiver smtp) => new()
    {
        ["Recaps:Delivery:AllowPrivateWebhookAddresses"] = "true",
        ["Recaps:Smtp:Host"] = "127.0.0.1",
        ["Recaps:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Recaps:Smtp:Security"] = "None",
        ["Recaps:Smtp:From"] = "recaps@example.com",
    };

    private static async Task<List<Guid>> DeliveryIdsAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT id FROM recap_deliveries ORDER BY position");
        await using var reader = await command.ExecuteReaderAsync(ApiCalls.Cancel);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ApiCalls.Cancel))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
