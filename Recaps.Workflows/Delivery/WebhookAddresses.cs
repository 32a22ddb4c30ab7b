using System.Net;
using System.Net.Sockets;

namespace Recaps.Workflows.Delivery;

/// <summary>
/// Keeps user-supplied webhook URLs away from the deployment's own network: the check runs on the
/// address actually connected to, after DNS, so a name that resolves to 127.0.0.1 (or is re-pointed
/// there after a first look) is refused too.
/// </summary>
public static class WebhookAddresses
{
    public static bool IsPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            // fc00::/7 unique local; link-local, site-local and multicast by the framework's own checks.
            return (first & 0xFE) == 0xFC || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast;
        }

        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or >= 224 // "this" network, private, multicast and reserved
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata services among them
            || (b[0] == 100 && b[1] is >= 64 and <= 127); // carrier-grade NAT
    }

    /// <summary>A connect callback for <see cref="System.Net.Http.SocketsHttpHandler"/> that connects only to public addresses.</summary>
    public static async ValueTask<Stream> ConnectPublicAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        // A name with any private address is refused whole: a mixed answer is how a rebinding attack starts.
        if (addresses.Length == 0 || addresses.Any(IsPrivate))
        {
            throw new DeliveryFailedException(
                "webhook_address_not_allowed", retryable: false, $"The webhook host {host} resolves to a private, loopback or link-local address.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
