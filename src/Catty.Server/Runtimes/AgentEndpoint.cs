using System.Net;
using System.Net.Sockets;

namespace Catty.Server.Runtimes;

/// <summary>Agent addresses as the agent's <c>--listen</c> takes them: <c>unix:/path</c> or <c>tcp:host:port</c>.</summary>
internal static class AgentEndpoint
{
    public static string Unix(string socketPath) => "unix:" + socketPath;

    /// <summary>Opens a plain byte stream to the agent (the stream owns the socket).</summary>
    public static async ValueTask<NetworkStream> ConnectAsync(string endpoint, CancellationToken cancellationToken)
    {
        var (address, protocol) = Parse(endpoint);
        var socket = new Socket(address.AddressFamily == AddressFamily.Unspecified ? AddressFamily.InterNetworkV6 : address.AddressFamily, SocketType.Stream, protocol);
        try
        {
            if (protocol == ProtocolType.Tcp)
            {
                socket.NoDelay = true;
                socket.DualMode = socket.AddressFamily == AddressFamily.InterNetworkV6;
            }

            await socket.ConnectAsync(address, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static (EndPoint Address, ProtocolType Protocol) Parse(string endpoint)
    {
        if (endpoint.StartsWith("unix:", StringComparison.Ordinal))
        {
            return (new UnixDomainSocketEndPoint(endpoint["unix:".Length..]), ProtocolType.Unspecified);
        }

        if (endpoint.StartsWith("tcp:", StringComparison.Ordinal))
        {
            var hostPort = endpoint["tcp:".Length..];
            var colon = hostPort.LastIndexOf(':');
            if (colon > 0 && int.TryParse(hostPort[(colon + 1)..], out var port))
            {
                return (new DnsEndPoint(hostPort[..colon].Trim('[', ']'), port), ProtocolType.Tcp);
            }
        }

        throw new FormatException($"Not an agent endpoint: '{endpoint}' (expected unix:/path or tcp:host:port).");
    }
}
