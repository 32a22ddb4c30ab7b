using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using Recaps.Testing;
using Recaps.Testing.Delivery;
using Recaps.Workflows.Delivery;

namespace Recaps.Tests.Delivery;

public sealed class WebhookSenderTests : IAsyncLifetime
{
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 2, 14, 0, 7);
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Send_PostsTheRecapAsIncomingWebhookJson_SignedWithTheSecret()
    {
        var recap = DeliveryRecaps.Standup();
        var deliveryId = Guid.NewGuid();

        await Sender(allowPrivate: true).SendAsync(new WebhookTarget(_receiver.Url, "s3cret-0123456789"), recap, deliveryId, TestContext.Current.CancellationToken);

        var received = Assert.Single(_receiver.Received);
        Assert.Equal("/hooks/recaps", received.Path);
        Assert.Equal("application/json; charset=utf-8", received.ContentType);
        Assert.Equal(RecapMessage.ChatText(recap), JsonDocument.Parse(received.Body).RootElement.GetProperty("text").GetString());
        Assert.Equal(deliveryId.ToString(), received.Headers[WebhookSender.DeliveryHeader]);
        Assert.Equal(received.SignatureBy("s3cret-0123456789", Now.ToUnixTimeSeconds()), received.Headers[WebhookSignature.Header]);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "webhook_unavailable", true)]
    [InlineData(HttpStatusCode.BadGateway, "webhook_unavailable", true)]
    [InlineData(HttpStatusCode.TooManyRequests, "webhook_unavailable", true)]
    [InlineData(HttpStatusCode.NotFound, "webhook_rejected", false)]
    [InlineData(HttpStatusCode.Forbidden, "webhook_rejected", false)]
    public async Task Send_Refused_SaysWhetherToRetry(HttpStatusCode answer, string code, bool retryable)
    {
        _receiver.Answer = answer;

        var error = await Assert.ThrowsAsync<DeliveryFailedException>(() => Send(allowPrivate: true, _receiver.Url));

        Assert.Equal((code, retryable), (error.Code, error.Retryable));
        Assert.Contains($"answered {(int)answer}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_Redirected_IsNotFollowed()
    {
        _receiver.Answer = HttpStatusCode.Found;

        var error = await Assert.ThrowsAsync<DeliveryFailedException>(() => Send(allowPrivate: true, _receiver.Url));

        Assert.Equal(("webhook_rejected", false), (error.Code, error.Retryable));
        Assert.Equal("/hooks/recaps", Assert.Single(_receiver.Received).Path);
    }

    [Fact]
    public async Task Send_HttpUrlOnceThePrivateNetworkIsNoLongerAllowed_IsRefused()
    {
        var error = await Assert.ThrowsAsync<DeliveryFailedException>(() => Send(allowPrivate: false, new Uri("http://chat.example.com/hooks")));

        Assert.Equal(("webhook_address_not_allowed", false), (error.Code, error.Retryable));
        Assert.Contains("not https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookTarget_ShowsAndPrintsOnlyItsHost()
    {
        var target = new WebhookTarget(new Uri("https://hooks.example.com/services/T0/B0/secret-path"), "secret-0123456789");

        Assert.Equal("https://hooks.example.com/…", target.ShownUrl);
        Assert.Equal("WebhookTarget { Url = https://hooks.example.com/… }", target.ToString());
    }

    [Fact]
    public async Task Send_NobodyListening_IsUnreachableAndRetryable()
    {
        var error = await Assert.ThrowsAsync<DeliveryFailedException>(() => Send(allowPrivate: true, new Uri($"{LocalPorts.FreeUrl()}/hooks")));

        Assert.Equal(("webhook_unreachable", true), (error.Code, error.Retryable));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Send_ToThisMachine_IsRefusedBeforeConnecting(string host)
    {
        var url = new UriBuilder(_receiver.Url) { Host = host }.Uri;

        var error = await Assert.ThrowsAsync<DeliveryFailedException>(() => Send(allowPrivate: false, url));

        Assert.Equal(("webhook_address_not_allowed", false), (error.Code, error.Retryable));
        Assert.Contains(host, error.Message, StringComparison.Ordinal);
        Assert.Empty(_receiver.Received);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void Options_TimeoutOutOfRange_NamesTheSetting(int seconds) =>
        Assert.Equal(["Recaps:Delivery:WebhookTimeout must be between 0 and 1 minute."], new DeliveryOptions { WebhookTimeout = TimeSpan.FromSeconds(seconds) }.Problems());

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("198.18.0.1", true)]
    [InlineData("198.19.255.255", true)]
    [InlineData("192.0.0.170", true)]
    [InlineData("64:ff9b::7f00:1", true)]
    [InlineData("64:ff9b::a9fe:a9fe", true)]
    [InlineData("64:ff9b:1::808:808", true)]
    [InlineData("2002:7f00:1::1", true)]
    [InlineData("2002:c0a8:101::1", true)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", true)]
    [InlineData("::7f00:1", true)]
    [InlineData("64:ff9b::808:808", false)]
    [InlineData("2002:808:808::1", false)]
    [InlineData("198.20.0.1", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("100.128.0.1", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:4860:4860::8888", false)]
    public void IsPrivate_KnowsTheRangesAUserMustNotReach(string address, bool expected) =>
        Assert.Equal(expected, WebhookAddresses.IsPrivate(IPAddress.Parse(address)));

    private static Task Send(bool allowPrivate, Uri url) =>
        Sender(allowPrivate).SendAsync(new WebhookTarget(url, "secret-0123456789"), DeliveryRecaps.Standup(), Guid.NewGuid(), TestContext.Current.CancellationToken);

    private static WebhookSender Sender(bool allowPrivate)
    {
        var options = Options.Create(new DeliveryOptions { AllowPrivateWebhookAddresses = allowPrivate });
        return new(new HttpClient(WebhookSender.Handler(options)), new FakeClock(Now), options);
    }
}
