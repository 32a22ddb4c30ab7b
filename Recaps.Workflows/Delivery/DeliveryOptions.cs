using MailKit.Security;

namespace Recaps.Workflows.Delivery;

/// <summary>The <c>Recaps:Delivery</c> section.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Recaps:Delivery";

    /// <summary>
    /// Webhooks may reach loopback, private and link-local addresses. Off by default: a user's webhook
    /// URL would otherwise reach the deployment's own management ports, its database or Temporal.
    /// </summary>
    public bool AllowPrivateWebhookAddresses { get; set; }

    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends of one recap to one target, crashes included, before a delivery that keeps failing in a way
    /// worth retrying is recorded failed; the workflow spaces them 30 s, 1, 2, 4, 8 min, then 10 min apart.
    /// </summary>
    public int MaxAttempts { get; set; } = 8;

    public IEnumerable<string> Problems()
    {
        if (MaxAttempts is < 1 or > 100)
        {
            yield return "Recaps:Delivery:MaxAttempts must be between 1 and 100.";
        }

        if (WebhookTimeout <= TimeSpan.Zero || WebhookTimeout > TimeSpan.FromMinutes(1))
        {
            yield return "Recaps:Delivery:WebhookTimeout must be between 0 and 1 minute.";
        }
    }
}

/// <summary>The <c>Recaps:Smtp</c> section: the server email recaps are sent through.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Recaps:Smtp";

    /// <summary>Unset, email delivery is off and an email target fails with <c>email_not_configured</c>.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>MailKit's names: <c>StartTls</c> (default), <c>SslOnConnect</c>, <c>StartTlsWhenAvailable</c> or <c>None</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "recaps@localhost";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Problems()
    {
        if (Port is < 1 or > 65535)
        {
            yield return "Recaps:Smtp:Port must be between 1 and 65535.";
        }

        if (!MimeKit.MailboxAddress.TryParse(From, out _))
        {
            yield return "Recaps:Smtp:From must be an email address.";
        }

        if (Username is null != (Password is null))
        {
            yield return "Recaps:Smtp:Username and Recaps:Smtp:Password are set together or not at all.";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return "Recaps:Smtp:Timeout must be positive.";
        }
    }
}
