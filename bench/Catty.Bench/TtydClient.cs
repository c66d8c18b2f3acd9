using System.Net.WebSockets;
using System.Text;

namespace Catty.Bench;

/// <summary>
/// A client of ttyd's own WebSocket protocol (subprotocol <c>tty</c>): the first message is JSON with the
/// window size, which makes ttyd spawn the command; after that every message starts with a command byte.
/// Client to server: <c>'0'</c> input, <c>'1'</c> resize, <c>'2'</c> pause, <c>'3'</c> resume. Server to
/// client: <c>'0'</c> output, <c>'1'</c> window title, <c>'2'</c> preferences.
/// </summary>
internal sealed class TtydClient : IBenchTerminal
{
    private const byte Input = (byte)'0';
    private const byte Output = (byte)'0';

    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[1 << 20];
    private byte[] _send = new byte[256];
    private bool _midMessage;
    private bool _midOutput;

    private TtydClient(ClientWebSocket socket) => _socket = socket;

    public static async Task<TtydClient> ConnectAsync(int port, int cols, int rows, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("tty");
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), ct);
        var hello = Encoding.UTF8.GetBytes($"{{\"AuthToken\":\"\",\"columns\":{cols},\"rows\":{rows}}}");
        await socket.SendAsync(hello, WebSocketMessageType.Binary, true, ct);
        return new TtydClient(socket);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> input, CancellationToken ct)
    {
        if (_send.Length < input.Length + 1)
        {
            _send = new byte[input.Length + 1];
        }

        _send[0] = Input;
        input.Span.CopyTo(_send.AsSpan(1));
        return _socket.SendAsync(_send.AsMemory(0, input.Length + 1), WebSocketMessageType.Binary, true, ct);
    }

    /// <summary>Receives until output bytes arrive; the command byte that starts a message is dropped.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReceiveOutputAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"ttyd closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            var start = 0;
            if (!_midMessage && result.Count > 0)
            {
                // A message may arrive in several receives; only its first byte is the command.
                _midOutput = _buffer[0] == Output;
                start = 1;
            }

            _midMessage = !result.EndOfMessage;
            if (_midOutput && result.Count > start)
            {
                return _buffer.AsMemory(start, result.Count - start);
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
