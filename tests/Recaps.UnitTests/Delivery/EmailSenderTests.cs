using MailKit.Security;
using Microsoft.Extensions.Options;
using Recaps.Testing;
using Recaps.Testing.Delivery;
using Recaps.Workflows.Delivery;
using SmtpServer.Protocol;

namespace Recaps.Tests.Delivery;

public sealed class EmailSenderTests : IAsyncDisposable
{
    private readonly SmtpReceiver _smtp = SmtpReceiver.Start();

    public ValueTask DisposeAsync() => _smtp.DisposeAsync();

    [Fact]
    public async Task Send_DeliversThePlainTextRecapWithTheDeliveryIdAsMessageId()
    {
        var recap = DeliveryRecaps.Standup();
        var deliveryId = Guid.NewGuid();

        await Sender(_smtp.Port).SendAsync(new EmailTarget("alice@example.com"), recap, deliveryId, TestContext.Current.CancellationToken);

        var message = Assert.Single(_smtp.Messages);
        Assert.Equal("Recap: Morning standup", message.Subject);
        Assert.Equal("recaps@example.com", message.From.Mailboxes.Single().Address);
        Assert.Equal("alice@example.com", message.To.Mailboxes.Single().Address);
        Assert.Equal($"{deliveryId:N}@recaps", message.MessageId);
        Assert.Equal(RecapMessage.Text(recap).ReplaceLineEndings(), message.TextBody!.ReplaceLineEndings().TrimEnd('\r', '\n') + Environment.NewLine);
    }

    [Fact]
    public async Task Send_RefusedForGood_IsRejectedNotRetried()
    {
        _smtp.Reply = new SmtpResponse(SmtpReplyCode.TransactionFailed, "no such mailbox");

        var error = await Assert.ThrowsAsync<DeliveryFailedException>(() => Send(_smtp.Port));

        Assert.Equal(("email_rejected", false), (error.Code, error.Retryable));
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public async Task Send_DeferredByTheServer_IsRetryable()
    {
        _smtp.Reply = new SmtpResponse((SmtpReplyCode)451, "try again later");

        var error = await Assert.ThrowsAsync<DeliveryFailedException>(() => Send(_smtp.Port));

        Assert.Equal(("email_deferred", true), (error.Code, error.Retryable));
    }

    [Fact]
    public async Task Send_NoServerListening_IsUnreachableAndRetryable()
    {
        var error = await Assert.ThrowsAsync<DeliveryFailedException>(() => Send(LocalPorts.Free()));

        Assert.Equal(("email_unreachable", true), (error.Code, error.Retryable));
    }

    [Fact]
    public async Task Send_WithoutAnSmtpHost_SaysEmailIsNotConfigured()
    {
        var sender = new EmailSender(Options.Create(new SmtpOptions()));

        var error = await Assert.ThrowsAsync<DeliveryFailedException>(
            () => sender.SendAsync(new EmailTarget("alice@example.com"), DeliveryRecaps.Standup(), Guid.NewGuid(), TestContext.Current.CancellationToken));

        Assert.Equal(("email_not_configured", false), (error.Code, error.Retryable));
        Assert.Contains("Recaps:Smtp:Host", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Problems_NameTheSettingAndTheRule()
    {
        var problems = new SmtpOptions { Port = 0, From = "not an address", Username = "u", Timeout = TimeSpan.Zero }.Problems().ToList();

        Assert.Equal(
            [
                "Recaps:Smtp:Port must be between 1 and 65535.",
                "Recaps:Smtp:From must be an email address.",
                "Recaps:Smtp:Username and Recaps:Smtp:Password are set together or not at all.",
                "Recaps:Smtp:Timeout must be positive.",
            ],
            problems);
        Assert.Empty(new SmtpOptions { Host = "mail.example.com" }.Problems());
    }

    private static Task Send(int port) =>
        Sender(port).SendAsync(new EmailTarget("alice@example.com"), DeliveryRecaps.Standup(), Guid.NewGuid(), TestContext.Current.CancellationToken);

    private static EmailSender Sender(int port) =>
        new(Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = port, Security = SecureSocketOptions.None, From = "recaps@example.com" }));
}
