using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Delivery;

/// <summary>
/// Posts a recap to a Slack or Mattermost incoming webhook as <c>{ "text": … }</c>, signed with the
/// target's secret, and says whether a failure is worth retrying.
/// </summary>
public sealed class WebhookSender(HttpClient http, IClock clock, IOptions<DeliveryOptions> options)
{
    /// <summary>Names the delivery, the same on every attempt, so a receiver can drop a repeat.</summary>
    public const string DeliveryHeader = "X-Recaps-Delivery";

    /// <summary>The handler webhooks are sent through: no redirects (one could lead anywhere) and, unless allowed, public addresses only.</summary>
    public static SocketsHttpHandler Handler(IOptions<DeliveryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // No proxy either: the address check must see the webhook's own address, not a proxy's.
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (!options.Value.AllowPrivateWebhookAddresses)
        {
            handler.ConnectCallback = WebhookAddresses.ConnectPublicAsync;
        }

        return handler;
    }

    public async Task SendAsync(WebhookTarget target, StoredRecap recap, Guid deliveryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Url.Scheme != Uri.UriSchemeHttps && !options.Value.AllowPrivateWebhookAddresses)
        {
            // Accepted while the deployment allowed http; no longer.
            throw new DeliveryFailedException("webhook_address_not_allowed", retryable: false, $"The webhook at {target.Url.Host} is not https.");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["text"] = RecapMessage.ChatText(recap) });
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(target.Secret, clock.GetCurrentInstant().ToUnixTimeSeconds(), body));
        request.Headers.Add(DeliveryHeader, deliveryId.ToString());

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException error) when (error.InnerException is DeliveryFailedException refused)
        {
            throw refused;
        }
        catch (HttpRequestException error)
        {
            throw new DeliveryFailedException("webhook_unreachable", retryable: true, $"The webhook at {target.Url.Host} could not be reached: {error.Message}", error);
        }
        catch (TaskCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DeliveryFailedException("webhook_timeout", retryable: true, $"The webhook at {target.Url.Host} did not answer in time.", error);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            var retryable = status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
            throw new DeliveryFailedException(
                retryable ? "webhook_unavailable" : "webhook_rejected", retryable, $"The webhook at {target.Url.Host} answered {status}.");
        }
    }
}
