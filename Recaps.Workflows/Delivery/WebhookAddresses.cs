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

        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // Transition addresses carry an IPv4 address a gateway connects to: judged by that address.
            // NAT64 (64:ff9b::/96, and 64:ff9b:1::/48 for local use) ends with it; 6to4 (2002::/16) holds it after the prefix.
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)
            {
                return (b[4] == 0 && b[5] == 1) || IsPrivate(new IPAddress(b[12..16]));
            }

            if (b[0] == 0x20 && b[1] == 0x02)
            {
                return IsPrivate(new IPAddress(b[2..6]));
            }

            // Teredo (2001::/32) hides its client address and IPv4-compatible ::/96 is deprecated: neither is a webhook's.
            var teredo = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0;
            var ipv4Compatible = b[..12].All(x => x == 0);
            // fc00::/7 unique local; link-local, site-local and multicast by the framework's own checks.
            return teredo || ipv4Compatible || (b[0] & 0xFE) == 0xFC || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast;
        }

        return b[0] is 0 or 10 or >= 224 // "this" network, private, multicast and reserved
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments (192.0.0.0/24)
            || (b[0] == 198 && b[1] is 18 or 19) // benchmarking networks, used inside data centres
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
