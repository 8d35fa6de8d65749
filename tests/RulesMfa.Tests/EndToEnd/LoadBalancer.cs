using System.Net;
using System.Net.Sockets;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// A TCP load balancer in front of several hosts, as a browser meets one: requests keep the public address (the first
/// host's, so its Host header and the issuer), while the connection goes to the host the test points at with
/// <see cref="Target"/>.
/// </summary>
internal sealed class LoadBalancer(Uri publicAddress)
{
    private readonly Uri publicAddress = publicAddress;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> connections = new(StringComparer.Ordinal);

    /// <summary>Where connections to <c>publicAddress</c> go now; at first, that address itself.</summary>
    public Uri Target { get; set; } = publicAddress;

    /// <summary>How many connections went to <paramref name="host"/>.</summary>
    public int ConnectionsTo(Uri host) => connections.GetValueOrDefault(host.Authority);

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint.Host == publicAddress.Host && context.DnsEndPoint.Port == publicAddress.Port
            ? new DnsEndPoint(Target.Host, Target.Port)
            : context.DnsEndPoint;
        connections.AddOrUpdate($"{endPoint.Host}:{endPoint.Port}", 1, (_, count) => count + 1);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
