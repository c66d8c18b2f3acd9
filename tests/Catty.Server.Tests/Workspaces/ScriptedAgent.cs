using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Catty.Server.Tests.Workspaces;

/// <summary>
/// A peer on a real loopback socket that answers one HTTP request with a fixed body and then closes, the way
/// an agent ends its answers; it keeps the request line and body. For what a real agent never sends.
/// </summary>
internal sealed class ScriptedAgent : IAsyncDisposable
{
    private readonly TcpListener _listener;

    private ScriptedAgent(TcpListener listener, string contentType, byte[] body)
    {
        _listener = listener;
        RequestAsync = AnswerAsync(contentType, body);
    }

    /// <summary>The agent endpoint the control plane connects to.</summary>
    public string Endpoint => $"tcp:127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>"request line|body" once the request was answered.</summary>
    public Task<string> RequestAsync { get; }

    public static ScriptedAgent Start(string contentType, byte[] body)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new ScriptedAgent(listener, contentType, body);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await RequestAsync;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // Never connected: nothing to wait for.
        }
    }

    private async Task<string> AnswerAsync(string contentType, byte[] body)
    {
        using var client = await _listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var received = new List<byte>();
        var buffer = new byte[64 * 1024];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(received)) < 0)
        {
            received.AddRange(buffer.AsSpan(0, await stream.ReadAsync(buffer)).ToArray());
        }

        var head = Encoding.ASCII.GetString([.. received[..headEnd]]).Split("\r\n");
        var lengthHeader = head.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthHeader is null ? 0 : int.Parse(lengthHeader["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
        while (received.Count < headEnd + 4 + length)
        {
            received.AddRange(buffer.AsSpan(0, await stream.ReadAsync(buffer)).ToArray());
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nConnection: close\r\n\r\n"));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
        client.Client.Shutdown(SocketShutdown.Send);
        return head[0] + "|" + Encoding.ASCII.GetString([.. received[(headEnd + 4)..]]);
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
