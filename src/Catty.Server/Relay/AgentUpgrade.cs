using System.Net.Sockets;
using System.Text;

namespace Catty.Server.Relay;

/// <summary>The agent's answer to the upgrade request: its status line, headers, and any bytes that came after them.</summary>
internal sealed record AgentUpgradeAnswer(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, ReadOnlyMemory<byte> Leftover);

/// <summary>
/// Sends the agent the client's WebSocket handshake as a raw HTTP/1.1 upgrade request and reads its answer,
/// the way YARP forwards WebSockets: the server relays the handshake and then bytes, never frames.
/// </summary>
internal static class AgentUpgrade
{
    private const int MaxHeadBytes = 16 * 1024;
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    /// <summary>Writes <c>GET /connect</c> with the client's key, version and subprotocols; no extensions, so no compression is negotiated.</summary>
    public static async Task SendAsync(NetworkStream agent, string key, string version, string? protocols, string? agentToken, CancellationToken cancellationToken)
    {
        var request = new StringBuilder()
            .Append("GET /connect HTTP/1.1\r\n")
            .Append("Host: catty-agent\r\n")
            .Append("Connection: Upgrade\r\n")
            .Append("Upgrade: websocket\r\n")
            .Append("Sec-WebSocket-Version: ").Append(version).Append("\r\n")
            .Append("Sec-WebSocket-Key: ").Append(key).Append("\r\n");
        if (!string.IsNullOrEmpty(protocols))
        {
            request.Append("Sec-WebSocket-Protocol: ").Append(protocols).Append("\r\n");
        }

        if (agentToken is not null)
        {
            request.Append("Authorization: Bearer ").Append(agentToken).Append("\r\n");
        }

        request.Append("\r\n");
        await agent.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cancellationToken);
        await agent.FlushAsync(cancellationToken);
    }

    /// <summary>Reads the agent's response head; null when the agent closed or sent something that is not HTTP.</summary>
    public static async Task<AgentUpgradeAnswer?> ReadAnswerAsync(NetworkStream agent, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeadBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await agent.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            var searchFrom = Math.Max(0, filled - EndOfHead.Length + 1);
            filled += read;
            var end = buffer.AsSpan(searchFrom, filled - searchFrom).IndexOf(EndOfHead);
            if (end >= 0)
            {
                var headLength = searchFrom + end;
                var bodyStart = headLength + EndOfHead.Length;
                return Parse(Encoding.ASCII.GetString(buffer, 0, headLength), buffer.AsMemory(bodyStart, filled - bodyStart));
            }
        }

        return null;
    }

    private static AgentUpgradeAnswer? Parse(string head, ReadOnlyMemory<byte> leftover)
    {
        var lines = head.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(status[1], out var code))
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        return new AgentUpgradeAnswer(code, headers, leftover);
    }
}
