using System.Net;
using Recaps.Testing.Delivery;
using Recaps.Tests.RecapRuns;
using Recaps.Tests.Telemetry;
using Recaps.Workflows.Delivery;
using Recaps.Workflows.RecapRuns;
using Temporalio.Exceptions;

namespace Recaps.Tests.Delivery;

/// <summary>The delivery activities on PostgreSQL against a real webhook receiver and SMTP server on loopback.</summary>
public sealed class DeliveryActivitiesTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Alice = "alice";
    private const string Secret = "s3cret-0123456789";

    private WebhookReceiver _webhook = null!;
    private SmtpReceiver _smtp = null!;

    public async ValueTask InitializeAsync()
    {
        _webhook = await WebhookReceiver.StartAsync();
        _smtp = SmtpReceiver.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _webhook.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task Recap_ToTheUsersWebhookEmailAndApp_IsDeliveredOnceToEachUnderItsDeliveryId()
    {
        await using var world = await WorldAsync();
        using var metrics = new RecordedMetrics(world.MeterFactory);
        await world.UserTargets.SetAsync(Alice, [new WebhookTarget(_webhook.Url, Secret), new EmailTarget("alice@example.com"), new InAppTarget()], RecapWorld.Start);
        var recapId = await StoredRecapAsync(world);

        var planned = await PlanAsync(world, recapId);
        foreach (var id in planned.Pending)
        {
            Assert.Equal(new DeliveryResult("delivered", null), await DeliverAsync(world, id));
        }

        var deliveries = (await world.Deliveries.ForRecapsAsync([recapId]))[recapId].ToList();
        Assert.Equal([DeliveryTypes.Webhook, DeliveryTypes.Email, DeliveryTypes.InApp], deliveries.Select(d => d.Target.Type));
        Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Delivered, null), (d.Status, d.Error)));
        Assert.Equal([deliveries[0].Id, deliveries[1].Id], planned.Pending);
        Assert.Equal(deliveries[0].Id.ToString(), Assert.Single(_webhook.Received).Headers[WebhookSender.DeliveryHeader]);
        Assert.Equal($"{deliveries[1].Id:N}@recaps", Assert.Single(_smtp.Messages).MessageId);
        Assert.Equal(1, metrics.Sum("recaps.deliveries", "type", DeliveryTypes.Webhook));
        Assert.Equal(1, metrics.Sum("recaps.deliveries", "type", DeliveryTypes.Email));
        Assert.Equal(1, metrics.Sum("recaps.deliveries", "type", DeliveryTypes.InApp));
        Assert.Equal(3, metrics.Sum("recaps.deliveries", "outcome", "delivered"));
    }

    [Fact]
    public async Task Delivery_PlannedAndRunTwice_IsSentOnce()
    {
        await using var world = await WorldAsync();
        await world.UserTargets.SetAsync(Alice, [new WebhookTarget(_webhook.Url, Secret)], RecapWorld.Start);
        var recapId = await StoredRecapAsync(world);

        var planned = await PlanAsync(world, recapId);
        var again = await PlanAsync(world, recapId);
        var first = await DeliverAsync(world, planned.Pending.Single());
        var second = await DeliverAsync(world, again.Pending.Single());

        Assert.Equal(planned.Pending, again.Pending);
        Assert.Equal(first, second);
        Assert.Single(_webhook.Received);
        Assert.Equal(1, Assert.Single((await world.Deliveries.ForRecapsAsync([recapId]))[recapId]).Attempts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MarkExecuted_FirstOrRetriedAfterALostAttemptEndedTheRun_RoutesTheStoredRecap(bool endedByALostAttempt)
    {
        await using var world = await WorldAsync();
        await world.UserTargets.SetAsync(Alice, [new WebhookTarget(_webhook.Url, Secret)], RecapWorld.Start);
        var activities = world.Activities();
        var runId = await GeneratedRunAsync(world, activities);
        if (endedByALostAttempt)
        {
            // As an attempt that ended the run and was lost before it routed.
            await world.Runs.CompleteAsync(runId);
        }

        var marked = await RecapWorld.RunActivity(() => activities.MarkExecutedAsync(new(runId)));

        var recapId = (await world.Recaps.FindByRunAsync(runId))!.Id;
        var delivery = Assert.Single((await world.Deliveries.ForRecapsAsync([recapId]))[recapId]);
        Assert.Equal(!endedByALostAttempt, marked.Counted);
        Assert.Equal([delivery.Id], marked.Pending);
    }

    [Fact]
    public async Task Delivery_ReceiverUnavailableThenBack_IsRetriedUnderTheSameIdThenDelivered()
    {
        await using var world = await WorldAsync();
        using var metrics = new RecordedMetrics(world.MeterFactory);
        await world.UserTargets.SetAsync(Alice, [new WebhookTarget(_webhook.Url, Secret)], RecapWorld.Start);
        var id = (await PlanAsync(world, await StoredRecapAsync(world))).Pending.Single();
        _webhook.Answer = HttpStatusCode.ServiceUnavailable;

        var deferred = await Assert.ThrowsAsync<ApplicationFailureException>(() => DeliverAsync(world, id));
        var pending = await world.Deliveries.GetAsync(id);
        _webhook.Answer = HttpStatusCode.OK;
        var delivered = await DeliverAsync(world, id);

        Assert.Equal(DeliveryActivities.DeliveryDeferredType, deferred.ErrorType);
        Assert.False(deferred.NonRetryable);
        Assert.Equal((DeliveryStatus.Pending, 1), (pending!.Status, pending.Attempts));
        Assert.StartsWith("webhook_unavailable: ", pending.Error, StringComparison.Ordinal);
        Assert.Equal(new DeliveryResult("delivered", null), delivered);
        Assert.Equal([id.ToString(), id.ToString()], _webhook.Received.Select(r => r.Headers[WebhookSender.DeliveryHeader]));
        Assert.Equal(1, metrics.Sum("recaps.deliveries", "outcome", "retried"));
    }

    [Fact]
    public async Task Delivery_StillUnavailableAtTheLastAttempt_IsRecordedFailedWithTheCode()
    {
        await using var world = await WorldAsync();
        world.Delivery.MaxAttempts = 2;
        await world.UserTargets.SetAsync(Alice, [new WebhookTarget(_webhook.Url, Secret)], RecapWorld.Start);
        var id = (await PlanAsync(world, await StoredRecapAsync(world))).Pending.Single();
        _webhook.Answer = HttpStatusCode.BadGateway;

        await Assert.ThrowsAsync<ApplicationFailureException>(() => DeliverAsync(world, id));
        var failed = await DeliverAsync(world, id);
        var after = await DeliverAsync(world, id);

        Assert.Equal("failed", failed.Status);
        Assert.StartsWith("webhook_unavailable: ", failed.Error, StringComparison.Ordinal);
        Assert.Equal(failed, after);
        Assert.Equal(2, _webhook.Received.Count);
    }

    [Fact]
    public async Task Delivery_RefusedForGood_FailsAtOnceWithTheCodeAndASafeMessage()
    {
        await using var world = await WorldAsync();
        await world.UserTargets.SetAsync(Alice, [new WebhookTarget(_webhook.Url, Secret)], RecapWorld.Start);
        var id = (await PlanAsync(world, await StoredRecapAsync(world))).Pending.Single();
        _webhook.Answer = HttpStatusCode.NotFound;

        var failed = await DeliverAsync(world, id);
        await DeliverAsync(world, id);

        Assert.Equal("failed", failed.Status);
        Assert.Equal(DeliveryErrors.Describe("webhook_rejected"), failed.Error);
        Assert.DoesNotContain("404", failed.Error, StringComparison.Ordinal);
        Assert.Single(_webhook.Received);
    }

    [Fact]
    public async Task Delivery_ToAPrivateAddress_IsRefusedWithoutConnecting()
    {
        await using var world = await WorldAsync();
        world.Delivery.AllowPrivateWebhookAddresses = false;
        // https to loopback: the URL is allowed, the address it resolves to is not.
        var loopback = new UriBuilder(_webhook.Url) { Scheme = Uri.UriSchemeHttps }.Uri;
        await world.UserTargets.SetAsync(Alice, [new WebhookTarget(loopback, Secret)], RecapWorld.Start);
        var id = (await PlanAsync(world, await StoredRecapAsync(world))).Pending.Single();

        var failed = await DeliverAsync(world, id);

        Assert.Equal(("failed", DeliveryErrors.Describe("webhook_address_not_allowed")), (failed.Status, failed.Error));
        Assert.Empty(_webhook.Received);
    }

    [Fact]
    public async Task Schedule_WithDeliverTo_OverridesTheUsersTargets()
    {
        await using var world = await WorldAsync();
        await world.UserTargets.SetAsync(Alice, [new WebhookTarget(_webhook.Url, Secret)], RecapWorld.Start);
        var recapId = await StoredRecapAsync(world, [new EmailTarget("team@example.com")]);

        foreach (var id in (await PlanAsync(world, recapId)).Pending)
        {
            await DeliverAsync(world, id);
        }

        Assert.Equal("team@example.com", Assert.Single(Assert.Single(_smtp.Messages).To.Mailboxes).Address);
        Assert.Empty(_webhook.Received);
    }

    [Fact]
    public async Task User_WithoutTargets_GetsTheRecapInTheAppOnly()
    {
        await using var world = await WorldAsync();
        var recapId = await StoredRecapAsync(world);

        var planned = await PlanAsync(world, recapId);

        Assert.Empty(planned.Pending);
        var inApp = Assert.Single((await world.Deliveries.ForRecapsAsync([recapId]))[recapId]);
        Assert.Equal((DeliveryTypes.InApp, DeliveryStatus.Delivered), (inApp.Target.Type, inApp.Status));
        Assert.Equal((await world.Recaps.GetAsync(recapId))!.CreatedAt, inApp.At);
    }

    [Fact]
    public async Task Targets_EditedAfterTheRecapWasRouted_DoNotReRouteIt()
    {
        await using var world = await WorldAsync();
        await world.UserTargets.SetAsync(Alice, [new WebhookTarget(_webhook.Url, Secret)], RecapWorld.Start);
        var recapId = await StoredRecapAsync(world);
        var planned = await PlanAsync(world, recapId);

        await world.UserTargets.SetAsync(Alice, [new EmailTarget("alice@example.com")], RecapWorld.Start);
        var replanned = await PlanAsync(world, recapId);
        await DeliverAsync(world, replanned.Pending.Single());

        Assert.Equal(planned.Pending, replanned.Pending);
        Assert.Single(_webhook.Received);
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public async Task Recap_Purged_TakesItsDeliveriesWithIt()
    {
        await using var world = await WorldAsync();
        await world.UserTargets.SetAsync(Alice, [new WebhookTarget(_webhook.Url, Secret)], RecapWorld.Start);
        var recapId = await StoredRecapAsync(world);
        var id = (await PlanAsync(world, recapId)).Pending.Single();

        // As the retention purge removes it.
        await world.CountAsync("DELETE FROM recaps WHERE id = $1", recapId);

        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM recap_deliveries"));
        var gone = await Assert.ThrowsAsync<ApplicationFailureException>(() => DeliverAsync(world, id));
        Assert.True(gone.NonRetryable);
        Assert.Empty(_webhook.Received);
    }

    private async Task<RecapWorld> WorldAsync()
    {
        var world = await RecapWorld.CreateAsync(postgres);
        world.Smtp.Port = _smtp.Port;
        await world.Chat.UpsertChannelAsync("dev", "Dev", [Alice]);
        return world;
    }

    /// <summary>A schedule of Alice's (with <paramref name="deliverTo"/>, if any) that ran once and stored its recap.</summary>
    private static async Task<Guid> StoredRecapAsync(RecapWorld world, IReadOnlyList<DeliveryTarget>? deliverTo = null)
    {
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"]) with { DeliverTo = deliverTo });
        var (_, recap) = await world.RunOccurrenceAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At));
        return recap!.RecapId;
    }

    /// <summary>A run of a new schedule of Alice's whose recap is stored, before its <c>MarkExecuted</c>.</summary>
    private static async Task<Guid> GeneratedRunAsync(RecapWorld world, RecapActivities activities)
    {
        var schedule = await world.Schedules.CreateAsync(Alice, RecapWorld.Daily(["dev"]));
        var resolved = await RecapWorld.RunActivity(() => activities.ResolveChannelsAsync(RecapWorld.Scheduled(schedule, RecapWorld.Occurrences(schedule, 1)[0].At)));
        await RecapWorld.RunActivity(() => activities.GenerateRecapAsync(new(resolved.RunId)));
        return resolved.RunId;
    }

    private static Task<PlannedDeliveries> PlanAsync(RecapWorld world, Guid recapId) =>
        RecapWorld.RunActivity(() => world.DeliveryActivities().PlanDeliveriesAsync(new(recapId)));

    private static Task<DeliveryResult> DeliverAsync(RecapWorld world, Guid deliveryId) =>
        RecapWorld.RunActivity(() => world.DeliveryActivities().DeliverRecapAsync(new(deliveryId)));
}
