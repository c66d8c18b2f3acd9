using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Catty.Sdk;
using Catty.Sdk.Terminal;

namespace Catty.Testing;

/// <summary>
/// A terminal WebSocket client as the CLI is (it speaks through the SDK's <see cref="TerminalSocket"/>): it
/// receives in the background, keeps every output byte and control message, answers pings when asked to, and
/// lets a test wait for text, messages or the close with a deadline. A wait that fails says what the terminal
/// showed.
/// </summary>
public sealed class TerminalClient : IAsyncDisposable, ITerminalReceiver
{
    // Tests send and receive whole files in file_change messages.
    private const int MaxControlBytes = 96 * 1024 * 1024;

    private readonly TerminalSocket _socket;
    private readonly Lock _gate = new();
    private readonly MemoryStream _bytes = new();
    private readonly StringBuilder _text = new();
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private readonly List<string> _controls = [];
    private readonly List<ControlMessage> _messages = [];
    private readonly List<string> _events = [];
    private readonly Task _receiving;
    private readonly bool _abortOnDispose;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TerminalClose? _close;
    private bool _closed;
    private int _textCursor;
    private int _messageCursor;

    private TerminalClient(TerminalSocket socket, bool answerPings, bool receive, bool abortOnDispose)
    {
        _socket = socket;
        _abortOnDispose = abortOnDispose;
        AnswerPings = answerPings;
        _receiving = receive ? Task.Run(ReceiveLoopAsync) : Task.CompletedTask;
    }

    /// <summary>Whether pings are answered with pongs (a client that does not, times out).</summary>
    public bool AnswerPings { get; set; }

    /// <summary>The WebSocket itself, for tests that read or write frames by hand.</summary>
    public WebSocket Socket => _socket.WebSocket;

    /// <summary>Everything the terminal printed so far, as text.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>Every byte received in binary frames, replay included, as a terminal emulator would be fed them.</summary>
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

    /// <summary>Control messages received so far, as the JSON that came.</summary>
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

    /// <summary>Control messages received so far that parse as one.</summary>
    public IReadOnlyList<ControlMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The close code the server sent; null before, or when the connection dropped without one.</summary>
    public WebSocketCloseStatus? CloseStatus => _close?.Status;

    /// <summary>The close reason the server sent.</summary>
    public string? CloseDescription => _close?.Description;

    /// <summary>Whether receiving has ended (closed or dropped).</summary>
    public bool Closed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>Connects through <paramref name="invoker"/> (e.g. to an agent's Unix socket) with an optional Bearer token.</summary>
    public static async Task<TerminalClient> ConnectAsync(Uri uri, HttpMessageInvoker invoker, string? token, bool answerPings, bool receive = true)
    {
        var headers = token is null ? new Dictionary<string, string>() : new() { ["Authorization"] = "Bearer " + token };
        var options = new TerminalConnectOptions { Headers = headers, Invoker = invoker, KeepAliveInterval = TimeSpan.Zero, Timeout = Deadline.Default };
        return await TerminalSocket.ConnectAsync(uri, options, CancellationToken.None) switch
        {
            TerminalConnected connected => new TerminalClient(connected.Socket, answerPings, receive, abortOnDispose: true),
            TerminalConnectFailed failed => throw new InvalidOperationException($"WebSocket refused ({(int)failed.Status}): {failed.Reason}"),
            var other => throw new InvalidOperationException(other.ToString()),
        };
    }

    /// <summary>Connects to a server's connect URL with <paramref name="headers"/> (and an <c>Origin</c>, as a browser sends).</summary>
    public static async Task<TerminalClient> ConnectAsync(string connectUrl, IReadOnlyDictionary<string, string> headers, string? origin = null)
    {
        var (client, status) = await TryConnectAsync(connectUrl, headers, origin);
        return client ?? throw new InvalidOperationException($"WebSocket refused with HTTP {status}.");
    }

    /// <summary>Connects, or returns the HTTP status the server refused the upgrade with.</summary>
    public static async Task<(TerminalClient? Client, HttpStatusCode Status)> TryConnectAsync(
        string connectUrl, IReadOnlyDictionary<string, string> headers, string? origin = null)
    {
        var options = new TerminalConnectOptions { Headers = headers, Origin = origin, Timeout = Deadline.Default };
        return await TerminalSocket.ConnectAsync(new Uri(connectUrl), options, CancellationToken.None) switch
        {
            TerminalConnected connected => (new TerminalClient(connected.Socket, answerPings: false, receive: true, abortOnDispose: false), HttpStatusCode.SwitchingProtocols),
            TerminalConnectFailed failed => (null, failed.Status),
            var other => throw new InvalidOperationException(other.ToString()),
        };
    }

    /// <summary>Types <paramref name="input"/> (a binary frame, as keystrokes travel).</summary>
    public Task SendAsync(string input) => WithDeadline(ct => _socket.SendInputAsync(Encoding.UTF8.GetBytes(input), ct));

    /// <summary>Sends a control message.</summary>
    public Task SendControlAsync(ControlMessage message) => WithDeadline(ct => _socket.SendControlAsync(message, ct));

    /// <summary>Sends a text frame exactly as given, valid control message or not.</summary>
    public Task SendControlAsync(string json) => SendFrameAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

    /// <summary>Sends one whole frame as given.</summary>
    public Task SendFrameAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type) => WithDeadline(ct => _socket.SendAsync(payload, type, ct));

    /// <summary>Makes later reads look only at what arrives from now on (e.g. past a replayed screen).</summary>
    public void SkipReceived()
    {
        lock (_gate)
        {
            _textCursor = _text.Length;
        }
    }

    /// <summary>Waits until <paramref name="marker"/> appears after the previous match; returns the output up to and including it.</summary>
    public async Task<string> ReadUntilAsync(string marker, TimeSpan? timeout = null)
    {
        string? found = null;
        await WaitAsync(() =>
        {
            var text = _text.ToString();
            var at = text.IndexOf(marker, _textCursor, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            found = text[_textCursor..(at + marker.Length)];
            _textCursor = at + marker.Length;
            return true;
        }, $"'{marker}' to appear", timeout, failOnClose: true);
        return found!;
    }

    /// <summary>Waits until the output after the previous match matches <paramref name="pattern"/>; returns the match.</summary>
    public async Task<Match> ReadUntilMatchAsync(Regex pattern, TimeSpan? timeout = null)
    {
        Match? found = null;
        await WaitAsync(() =>
        {
            var match = pattern.Match(_text.ToString(), _textCursor);
            if (!match.Success)
            {
                return false;
            }

            found = match;
            _textCursor = match.Index + match.Length;
            return true;
        }, $"output matching /{pattern}/", timeout, failOnClose: true);
        return found!;
    }

    /// <summary>Waits for the next control message of type <typeparamref name="T"/> (earlier ones of other types are skipped).</summary>
    public async Task<T> NextControlAsync<T>(TimeSpan? timeout = null) where T : ControlMessage
    {
        T? found = null;
        await WaitAsync(() =>
        {
            for (var i = _messageCursor; i < _messages.Count; i++)
            {
                if (_messages[i] is T match)
                {
                    found = match;
                    _messageCursor = i + 1;
                    return true;
                }
            }

            return false;
        }, $"a {typeof(T).Name}", timeout, failOnClose: false);
        return found!;
    }

    /// <summary>Waits until a control message of <paramref name="type"/> (e.g. <c>ready</c>) has arrived.</summary>
    public Task WaitForControlAsync(string type, TimeSpan? timeout = null)
    {
        var marker = $"\"type\":\"{type}\"";
        return WaitAsync(() => _controls.Any(c => c.Contains(marker, StringComparison.Ordinal)), $"a '{type}' message", timeout, failOnClose: true);
    }

    /// <summary>Waits until <paramref name="condition"/> holds; it is checked whenever something arrives.</summary>
    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => WaitAsync(condition, what, timeout, failOnClose: false);

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

    /// <summary>Waits until the server has closed the socket (or it dropped); returns the close code and reason.</summary>
    public async Task<TerminalClose> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        await WaitAsync(() => _closed, "the socket to close", timeout, failOnClose: false);
        return _close ?? default;
    }

    /// <summary>Closes cleanly (1000) and waits for the server's side of the close.</summary>
    public async Task CloseAsync()
    {
        await _socket.CloseAsync("bye", Deadline.Default);
        await WaitForCloseAsync();
    }

    /// <summary>
    /// Leaves: a client of an agent drops the connection at once; a client through the server closes cleanly and
    /// waits (at most 10 s) for the server's side of the close first.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_abortOnDispose)
        {
            await _socket.CloseAsync("done", TimeSpan.FromSeconds(5));
            await _receiving.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _socket.Abort();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }

    void ITerminalReceiver.Output(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _bytes.Write(bytes);
            var chars = new char[_utf8.GetCharCount(bytes, flush: false)];
            _utf8.GetChars(bytes, chars, flush: false);
            _text.Append(chars);
            Pulse();
        }
    }

    async ValueTask<bool> ITerminalReceiver.ControlAsync(ReadOnlyMemory<byte> json, CancellationToken ct)
    {
        ControlMessage? message = null;
        try
        {
            message = JsonSerializer.Deserialize(json.Span, CattyJson.Default.ControlMessage);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            lock (_gate)
            {
                _events.Add("unparsable control: " + e.Message);
            }
        }

        lock (_gate)
        {
            _controls.Add(Encoding.UTF8.GetString(json.Span));
            if (message is not null)
            {
                _messages.Add(message);
                _events.Add("control " + message);
            }

            Pulse();
        }

        if (message is PingMessage && AnswerPings)
        {
            await _socket.SendControlAsync(new PongMessage(), ct);
        }

        return true;
    }

    void ITerminalReceiver.OversizedControl(int limitBytes)
    {
        lock (_gate)
        {
            _events.Add($"dropped a control message over {limitBytes} bytes");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var end = await _socket.ReceiveAsync(this, MaxControlBytes, CancellationToken.None);
        lock (_gate)
        {
            if (end is TerminalClosed closed)
            {
                _close = closed.Close;
            }

            _events.Add("receive ended: " + end);
            _closed = true;
            Pulse();
        }
    }

    private async Task WithDeadline(Func<CancellationToken, Task> send)
    {
        using var limit = new CancellationTokenSource(Deadline.Default);
        await send(limit.Token);
    }

    private async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout, bool failOnClose)
    {
        var limit = timeout ?? Deadline.Default;
        using var deadline = new CancellationTokenSource(limit);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition())
                {
                    return;
                }

                if (failOnClose && _closed)
                {
                    throw new InvalidOperationException(Describe($"the socket closed ({CloseStatus} {CloseDescription}) before {what}"));
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(Describe($"timed out after {limit.TotalSeconds} s waiting for {what}"));
            }
        }
    }

    private string Describe(string problem)
    {
        lock (_gate)
        {
            var text = _text.ToString();
            var tail = text.Length > 3000 ? text[^3000..] : text;
            return $"{problem}.\n--- the terminal showed (last {tail.Length} chars, read up to {_textCursor} of {text.Length}) ---\n{tail}\n"
                + $"--- events ---\n{string.Join("\n", _events.TakeLast(40))}\n--- closed: {_closed} {CloseStatus} {CloseDescription}";
        }
    }

    private void Pulse()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }
}
