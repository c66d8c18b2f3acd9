using System.Net.Sockets;
using System.Net.WebSockets;
using Catty.Sdk.Api;

namespace Catty.Bench;

/// <summary>A Catty terminal WebSocket client that awaits each receive itself, so timings include no extra hops.</summary>
internal sealed class TerminalClient : IBenchTerminal
{
    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[1 << 20];

    private TerminalClient(ClientWebSocket socket) => _socket = socket;

    public static async Task<TerminalClient> ConnectAsync(string connectUrl, string connectToken, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + connectToken);
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri(connectUrl), ct);
        return new TerminalClient(socket);
    }

    public static Task<TerminalClient> ConnectAsync(CreateSessionResponse session, CancellationToken ct) =>
        ConnectAsync(session.ConnectUrl, session.ConnectToken, ct);

    /// <summary>Connects straight to an agent's Unix socket, as the server's relay does.</summary>
    public static async Task<TerminalClient> ConnectUnixAsync(string socketPath, CancellationToken ct)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri("ws://agent/connect"), new HttpMessageInvoker(handler), ct);
        return new TerminalClient(socket);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> input, CancellationToken ct) =>
        _socket.SendAsync(input, WebSocketMessageType.Binary, true, ct);

    /// <summary>Receives until a binary frame with at least one byte arrives; control messages are skipped.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReceiveOutputAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            if (result.MessageType == WebSocketMessageType.Binary && result.Count > 0)
            {
                return _buffer.AsMemory(0, result.Count);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}
