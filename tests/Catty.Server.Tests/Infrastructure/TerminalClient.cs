using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Catty.Server.Tests.Infrastructure;

/// <summary>
/// A terminal WebSocket client as the CLI would be: Bearer connect token, raw bytes in binary frames, and a
/// receive loop that keeps reading (so close handshakes complete). Reads wait for a marker with a deadline
/// and, on failure, say what the terminal showed.
/// </summary>
internal sealed class TerminalClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Lock _gate = new();
    private readonly StringBuilder _output = new();
    private readonly MemoryStream _bytes = new();
    private readonly List<string> _controls = [];
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private readonly Task _receiving;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;
    private int _consumed;

    private TerminalClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Everything the terminal printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Every byte the terminal received, as a terminal emulator would be fed them.</summary>
    public byte[] Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes.ToArray();
            }
        }
    }

    /// <summary>JSON control messages received so far.</summary>
    public IReadOnlyList<string> Controls
    {
        get
        {
            lock (_gate)
            {
                return [.. _controls];
            }
        }
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public static async Task<TerminalClient> ConnectAsync(string connectUrl, IReadOnlyDictionary<string, string> headers, string? origin = null)
    {
        var (socket, status) = await TryConnectAsync(connectUrl, headers, origin);
        return socket is not null ? new TerminalClient(socket) : throw new InvalidOperationException($"WebSocket refused with HTTP {status}.");
    }

    /// <summary>Connects, or returns the HTTP status the server refused the upgrade with.</summary>
    public static async Task<(ClientWebSocket? Socket, HttpStatusCode Status)> TryConnectAsync(
        string connectUrl, IReadOnlyDictionary<string, string> headers, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var timeout = new CancellationTokenSource(Deadline.Default);
        try
        {
            await socket.ConnectAsync(new Uri(connectUrl), timeout.Token);
            return (socket, socket.HttpStatusCode);
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (null, status);
        }
    }

    public Task SendAsync(string input) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(input), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    /// <summary>Sends a control message (a text frame) exactly as given.</summary>
    public Task SendControlAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Makes later reads look only at what arrives from now on (e.g. past a replayed screen).</summary>
    public void SkipReceived()
    {
        lock (_gate)
        {
            _consumed = _output.Length;
        }
    }

    /// <summary>Waits until <paramref name="marker"/> appears after the previous match; returns the output up to and including it.</summary>
    public async Task<string> ReadUntilAsync(string marker, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Deadline.Default;
        using var deadline = new CancellationTokenSource(limit);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var text = _output.ToString();
                var at = text.IndexOf(marker, _consumed, StringComparison.Ordinal);
                if (at >= 0)
                {
                    var upTo = text[_consumed..(at + marker.Length)];
                    _consumed = at + marker.Length;
                    return upTo;
                }

                if (_closed)
                {
                    throw new InvalidOperationException(Describe($"the socket closed ({CloseStatus} {CloseDescription}) before '{marker}' appeared"));
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(Describe($"'{marker}' did not appear within {limit.TotalSeconds} s"));
            }
        }
    }

    /// <summary>Waits until a control message of <paramref name="type"/> (e.g. <c>ready</c>) has arrived.</summary>
    public async Task WaitForControlAsync(string type, TimeSpan? timeout = null)
    {
        var marker = $"\"type\":\"{type}\"";
        using var deadline = new CancellationTokenSource(timeout ?? Deadline.Default);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_controls.Any(c => c.Contains(marker, StringComparison.Ordinal)))
                {
                    return;
                }

                if (_closed)
                {
                    throw new InvalidOperationException(Describe($"the socket closed before a '{type}' message"));
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(Describe($"no '{type}' message arrived"));
            }
        }
    }

    /// <summary>Waits for anything new (output, a message, the close); false when nothing came within <paramref name="limit"/>.</summary>
    public async Task<bool> WaitForMoreAsync(TimeSpan limit)
    {
        Task changed;
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            changed = _changed.Task;
        }

        try
        {
            await changed.WaitAsync(limit);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Waits until the server has closed the socket; returns the close status.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        try
        {
            await _receiving.WaitAsync(timeout ?? Deadline.Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(Describe("the socket did not close"));
        }

        return CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The other side is already gone.
            }
        }

        await _receiving.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Complete the close handshake, as a well-behaved client does.
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                lock (_gate)
                {

                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        _controls.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    }
                    else
                    {
                        _bytes.Write(buffer, 0, result.Count);
                        var chars = new char[_utf8.GetCharCount(buffer, 0, result.Count)];
                        _utf8.GetChars(buffer, 0, result.Count, chars, 0);
                        _output.Append(chars);
                    }

                    Pulse();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Dropped without a close handshake; CloseStatus stays null.
        }
        finally
        {
            lock (_gate)
            {
                _closed = true;
                Pulse();
            }
        }
    }

    private void Pulse()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }

    private string Describe(string problem) =>
        $"{problem}. The terminal showed:\n---\n{Output}\n---\nControl messages: {string.Join(" ", Controls)}";
}
