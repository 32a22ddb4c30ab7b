using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Recaps.Workflows.Storage;

namespace Recaps.Workflows.Delivery;

/// <summary>
/// Sends a recap as a plain-text email through the <c>Recaps:Smtp</c> server, and says whether a failure
/// is worth retrying. The delivery id becomes the Message-ID, the same on every attempt, so a mail
/// system can drop a repeat.
/// </summary>
public sealed class EmailSender(IOptions<SmtpOptions> options)
{
    public async Task SendAsync(EmailTarget target, StoredRecap recap, Guid deliveryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var smtp = options.Value;
        if (smtp.Host is null)
        {
            throw new DeliveryFailedException("email_not_configured", retryable: false, "Email delivery needs Recaps:Smtp:Host.");
        }

        using var message = new MimeMessage
        {
            Subject = RecapMessage.Subject(recap),
            MessageId = $"{deliveryId:N}@recaps",
            Body = new TextPart("plain") { Text = RecapMessage.Text(recap) },
        };
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(target.Address));

        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security, cancellationToken);
            if (smtp is { Username: { } username, Password: { } password })
            {
                await client.AuthenticateAsync(username, password, cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException refused)
        {
            // 4xx replies are the server's "try again later"; 5xx refuse this message for good.
            var transient = (int)refused.StatusCode is >= 400 and < 500;
            throw new DeliveryFailedException(
                transient ? "email_deferred" : "email_rejected", transient, $"The SMTP server answered {(int)refused.StatusCode} for {refused.ErrorCode}.", refused);
        }
        catch (SslHandshakeException error)
        {
            throw new DeliveryFailedException("email_tls_failed", retryable: false, $"TLS with the SMTP server {smtp.Host}:{smtp.Port} failed; check Recaps:Smtp:Security.", error);
        }
        catch (NotSupportedException error)
        {
            // The server offers no STARTTLS, or no way to sign in: a setting to change, not a moment to wait out.
            throw new DeliveryFailedException("email_not_supported", retryable: false, $"The SMTP server {smtp.Host}:{smtp.Port} does not support what Recaps:Smtp asks: {error.Message}", error);
        }
        catch (AuthenticationException error)
        {
            throw new DeliveryFailedException("email_sign_in_refused", retryable: false, "The SMTP server refused Recaps:Smtp:Username.", error);
        }
        catch (Exception error) when (error is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException or TimeoutException)
        {
            throw new DeliveryFailedException("email_unreachable", retryable: true, $"The SMTP server {smtp.Host}:{smtp.Port} could not be reached: {error.Message}", error);
        }
    }
}
