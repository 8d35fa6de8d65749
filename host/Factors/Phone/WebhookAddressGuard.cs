using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// Connects a webhook's HTTP client only to public addresses (unless <see cref="PhoneOptions.AllowPrivateNetworkWebhooks"/>):
/// the name is resolved here and every address checked before the socket connects, so neither a URL naming an internal
/// address nor a name that resolves to one (or is rebound to one) reaches the server's own network.
/// </summary>
public sealed class WebhookAddressGuard(IOptions<PhoneOptions> options)
{
    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/> of the webhook client.</summary>
    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        ConnectAsync(context, options.Value.AllowPrivateNetworkWebhooks, cancellationToken);

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> that connects only to a public address of the host (any address
    /// when <paramref name="allowPrivate"/>): the webhook client's, and Duo's (<c>Duo:AllowPrivateNetwork</c>).
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(address => allowPrivate || IsPublic(address)).ToList();
        if (allowed.Count == 0)
        {
            throw new WebhookAddressRefusedException($"refused: {context.DnsEndPoint.Host} is not a public address");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// False for loopback, private (RFC 1918, unique local), link-local, carrier-grade NAT, unspecified and multicast
    /// addresses, and for IPv6 addresses that a translator delivers to one of those (NAT64, 6to4) or that may be served
    /// inside the network (NAT64's local-use prefix, Teredo).
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var v6 = address.GetAddressBytes();
            // NAT64's local-use prefix (64:ff9b:1::/48) and Teredo (2001::/32): a translator that may sit inside the network serves them.
            if (v6 is [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01, ..] or [0x20, 0x01, 0x00, 0x00, ..])
            {
                return false;
            }

            if (CarriedIPv4(v6) is { } carried)
            {
                return IsPublic(carried);
            }
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }

        var bytes = address.GetAddressBytes();
        return bytes[0] switch
        {
            0 or 10 or 127 => false,
            100 => bytes[1] is < 64 or > 127,
            169 => bytes[1] != 254,
            172 => bytes[1] is < 16 or > 31,
            192 => !(bytes[1] == 168 || (bytes[1] == 0 && bytes[2] is 0 or 2)),
            >= 224 => false,
            _ => true,
        };
    }

    /// <summary>
    /// The IPv4 address a NAT64 gateway (the well-known prefix <c>64:ff9b::/96</c>) or a 6to4 relay (<c>2002::/16</c>)
    /// delivers an IPv6 address to; null for any other address.
    /// </summary>
    private static IPAddress? CarriedIPv4(byte[] bytes) => bytes switch
    {
        [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, ..] => new IPAddress(bytes[12..16]),
        [0x20, 0x02, ..] => new IPAddress(bytes[2..6]),
        _ => null,
    };
}
