using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Catty.Sdk.Terminal;

/// <summary>How to open a terminal socket: the headers to send and where the upgrade goes through.</summary>
public sealed class TerminalConnectOptions
{
    /// <summary>Request headers, e.g. <c>Authorization: Bearer &lt;connect token&gt;</c> and <c>User-Agent</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>An <c>Origin</c> header, as a browser would send; none when null.</summary>
    public string? Origin { get; init; }

    /// <summary>A handler to connect through (e.g. one that dials a Unix socket); the default handler when null.</summary>
    public HttpMessageInvoker? Invoker { get; init; }

    /// <summary>WebSocket-level keepalive pings; the runtime's default when null, none when zero.</summary>
    public TimeSpan? KeepAliveInterval { get; init; }

    /// <summary>How long the upgrade may take. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock <see cref="TerminalSocket.SinceLastHeard"/> is read on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>The outcome of <see cref="TerminalSocket.ConnectAsync"/>.</summary>
public abstract record TerminalConnectResult;

/// <summary>The upgrade succeeded.</summary>
public sealed record TerminalConnected(TerminalSocket Socket) : TerminalConnectResult;

/// <summary>The upgrade failed: <paramref name="Status"/> is the HTTP status the server answered with, 0 when none came.</summary>
public sealed record TerminalConnectFailed(HttpStatusCode Status, string Reason) : TerminalConnectResult;

/// <summary>
/// The client end of the terminal WebSocket (docs/DESIGN.md): keystrokes out as binary frames, program output in
/// binary frames, control messages as JSON in text frames, close reasons from <see cref="TerminalCloseReasons"/>.
/// One receive loop at a time; sends are serialized, so any thread may send.
/// </summary>
public sealed class TerminalSocket : IDisposable
{
    private const int ReceiveBufferBytes = 64 * 1024;
    private static readonly TimeSpan CloseReplyTimeout = TimeSpan.FromSeconds(3);

    private readonly ClientWebSocket _socket;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private long _lastHeard;

    private TerminalSocket(ClientWebSocket socket, TimeProvider time)
    {
        _socket = socket;
        _time = time;
        _lastHeard = time.GetTimestamp();
    }

    /// <summary>The underlying socket, for callers that speak the protocol wrongly on purpose.</summary>
    public WebSocket WebSocket => _socket;

    /// <summary>How long since the last frame of any kind arrived (or since connecting).</summary>
    public TimeSpan SinceLastHeard => _time.GetElapsedTime(Volatile.Read(ref _lastHeard));

    /// <summary>Opens the socket; an expected failure (refused, unreachable, timed out) is a value, cancellation throws.</summary>
    public static async Task<TerminalConnectResult> ConnectAsync(Uri uri, TerminalConnectOptions options, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (options.KeepAliveInterval is { } keepAlive)
        {
            socket.Options.KeepAliveInterval = keepAlive;
        }

        foreach (var (name, value) in options.Headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        if (options.Origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", options.Origin);
        }

        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        connecting.CancelAfter(options.Timeout);
        try
        {
            await socket.ConnectAsync(uri, options.Invoker, connecting.Token);
            return new TerminalConnected(new TerminalSocket(socket, options.Time));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException or IOException or SocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            ct.ThrowIfCancellationRequested();
            return new TerminalConnectFailed(status, e is OperationCanceledException ? "connecting timed out" : e.Message);
        }
    }

    /// <summary>
    /// Receives until the server closes, the connection breaks, <paramref name="receiver"/> asks to stop, or
    /// <paramref name="ct"/> is cancelled. Text frames are reassembled up to <paramref name="maxControlBytes"/>;
    /// a server's close is answered, as a well-behaved client does.
    /// </summary>
    public async Task<TerminalReceiveEnd> ReceiveAsync(ITerminalReceiver receiver, int maxControlBytes, CancellationToken ct)
    {
        var buffer = new byte[ReceiveBufferBytes];
        using var text = new MemoryStream();
        var oversized = false;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), ct);
                Volatile.Write(ref _lastHeard, _time.GetTimestamp());
                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        var close = new TerminalClose(_socket.CloseStatus, _socket.CloseStatusDescription);
                        await AnswerCloseAsync(ct);
                        return new TerminalClosed(close);
                    case WebSocketMessageType.Binary:
                        receiver.Output(buffer.AsSpan(0, result.Count));
                        continue;
                }

                if (!oversized && text.Length + result.Count <= maxControlBytes)
                {
                    text.Write(buffer, 0, result.Count);
                }
                else
                {
                    oversized = true;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (oversized)
                {
                    receiver.OversizedControl(maxControlBytes);
                }
                else if (!await receiver.ControlAsync(text.GetBuffer().AsMemory(0, (int)text.Length), ct))
                {
                    return new TerminalReceiveStopped();
                }

                text.SetLength(0);
                oversized = false;
            }
        }
        catch (OperationCanceledException)
        {
            return new TerminalBroken("cancelled");
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or SocketException)
        {
            return new TerminalBroken(e.Message);
        }
    }

    /// <summary>Sends keystrokes (or pasted bytes) as one binary frame.</summary>
    public Task SendInputAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct) => SendAsync(bytes, WebSocketMessageType.Binary, ct);

    /// <summary>Sends a control message as one text frame.</summary>
    public Task SendControlAsync(ControlMessage message, CancellationToken ct) =>
        SendAsync(ControlMessageParser.ToUtf8(message), WebSocketMessageType.Text, ct);

    /// <summary>Sends one whole frame as given; for text, the bytes need not be a valid control message.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken ct)
    {
        await _sending.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(payload, type, endOfMessage: true, ct);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Starts a clean close (1000 with <paramref name="reason"/>); aborts when that fails or takes longer than <paramref name="timeout"/>.</summary>
    public async Task CloseAsync(string reason, TimeSpan timeout)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, limit.Token);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    /// <summary>Drops the connection at once, without a close handshake.</summary>
    public void Abort() => _socket.Abort();

    /// <inheritdoc/>
    public void Dispose()
    {
        _socket.Dispose();
        _sending.Dispose();
    }

    private async Task AnswerCloseAsync(CancellationToken ct)
    {
        if (_socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(CloseReplyTimeout);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", limit.Token);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The server is gone already; its close was read, which is all that matters.
        }
    }
}
