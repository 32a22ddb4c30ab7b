using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Recaps.Testing.Delivery;

/// <summary>A chat platform's incoming webhook on loopback: records every request and answers with the status a test sets.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = new Uri($"{url}/hooks/recaps");
    }

    public Uri Url { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>What the next requests are answered with; 200 unless a test says otherwise.</summary>
    public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var url = LocalPorts.FreeUrl();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, url);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver.Received.Enqueue(new(
                context.Request.Path, context.Request.ContentType, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
            context.Response.StatusCode = (int)receiver.Answer;
            if (receiver.Answer == HttpStatusCode.Found)
            {
                context.Response.Headers.Location = $"{url}/elsewhere";
            }
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record ReceivedWebhook(PathString Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>
    /// The <c>X-Recaps-Signature</c> a receiver holding <paramref name="secret"/> expects for this body at
    /// <paramref name="unixSeconds"/>, computed here from the documented recipe rather than by the sender's code.
    /// </summary>
    public string SignatureBy(string secret, long unixSeconds)
    {
        var time = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(time + "."), .. Body]);
        return $"t={time},v1={Convert.ToHexStringLower(mac)}";
    }
}
