using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Catty.Sdk;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Fixtures;

/// <summary>
/// A driver of the terminal WebSocket as a real client would be: it receives in the background, keeps
/// every output byte and control message, answers pings, and lets a test wait for text or messages.
/// A wait that times out fails with what the client saw.
/// </summary>
internal sealed class TerminalClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly object _gate = new();
    private readonly MemoryStream _output = new();
    private readonly StringBuilder _text = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly List<ControlMessage> _controls = [];
    private readonly List<string> _events = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _receiving;
    private int _textCursor;
    private int _controlCursor;

    private TerminalClient(ClientWebSocket socket, bool answerPings)
    {
        _socket = socket;
        AnswerPings = answerPings;
    }

    public bool AnswerPings { get; set; }

    public ClientWebSocket Socket => _socket;

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    public bool Closed { get; private set; }

    public static async Task<TerminalClient> ConnectAsync(Uri uri, HttpMessageInvoker invoker, string? token, bool answerPings, bool receive = true)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (token is not null)
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        using var cts = new CancellationTokenSource(Eventually.DefaultTimeout);
        await socket.ConnectAsync(uri, invoker, cts.Token);
        var client = new TerminalClient(socket, answerPings);
        if (receive)
            client._receiving = client.ReceiveLoopAsync();
        return client;
    }

    /// <summary>Everything received so far as binary frames, replay included.</summary>
    public byte[] Output()
    {
        lock (_gate)
            return _output.ToArray();
    }

    public IReadOnlyList<ControlMessage> Controls()
    {
        lock (_gate)
            return [.. _controls];
    }

    /// <summary>Waits until the output after the last match contains <paramref name="marker"/>; returns the text up to its end.</summary>
    public async Task<string> ReadUntilAsync(string marker, TimeSpan? timeout = null)
    {
        string? found = null;
        await WaitAsync(() =>
        {
            var text = _text.ToString();
            var at = text.IndexOf(marker, _textCursor, StringComparison.Ordinal);
            if (at < 0)
                return false;
            found = text[_textCursor..(at + marker.Length)];
            _textCursor = at + marker.Length;
            return true;
        }, $"output containing \"{marker}\"", timeout);
        return found!;
    }

    /// <summary>Waits until the output after the last match matches <paramref name="pattern"/>; returns the match.</summary>
    public async Task<System.Text.RegularExpressions.Match> ReadUntilMatchAsync(System.Text.RegularExpressions.Regex pattern, TimeSpan? timeout = null)
    {
        System.Text.RegularExpressions.Match? found = null;
        await WaitAsync(() =>
        {
            var match = pattern.Match(_text.ToString(), _textCursor);
            if (!match.Success)
                return false;
            found = match;
            _textCursor = match.Index + match.Length;
            return true;
        }, $"output matching /{pattern}/", timeout);
        return found!;
    }

    /// <summary>Waits for the next control message of type <typeparamref name="T"/> (earlier ones of other types are skipped).</summary>
    public async Task<T> NextControlAsync<T>(TimeSpan? timeout = null) where T : ControlMessage
    {
        T? found = null;
        await WaitAsync(() =>
        {
            for (var i = _controlCursor; i < _controls.Count; i++)
            {
                if (_controls[i] is T match)
                {
                    found = match;
                    _controlCursor = i + 1;
                    return true;
                }
            }
            return false;
        }, $"a {typeof(T).Name}", timeout);
        return found!;
    }

    public async Task<(WebSocketCloseStatus? Status, string? Description)> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        await WaitAsync(() => Closed, "the connection to close", timeout);
        return (CloseStatus, CloseDescription);
    }

    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => WaitAsync(condition, what, timeout);

    /// <summary>Types <paramref name="input"/> (a binary frame, as keystrokes travel).</summary>
    public Task SendAsync(string input) => SendFrameAsync(Encoding.UTF8.GetBytes(input), WebSocketMessageType.Binary);

    public Task SendControlAsync(ControlMessage message) =>
        SendFrameAsync(JsonSerializer.SerializeToUtf8Bytes(message, CattyJson.Default.ControlMessage), WebSocketMessageType.Text);

    public async Task SendFrameAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type)
    {
        await _sendLock.WaitAsync();
        try
        {
            using var cts = new CancellationTokenSource(Eventually.DefaultTimeout);
            await _socket.SendAsync(payload, type, endOfMessage: true, cts.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task CloseAsync()
    {
        using var cts = new CancellationTokenSource(Eventually.DefaultTimeout);
        if (_socket.State == WebSocketState.Open)
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
        await WaitForCloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        if (_receiving is not null)
            await _receiving;
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Eventually.DefaultTimeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition())
                    return;
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
                throw new TimeoutException($"timed out waiting for {what}.\n{Describe()}");
        }
    }

    private string Describe()
    {
        lock (_gate)
        {
            var text = _text.ToString();
            var tail = text.Length > 3000 ? text[^3000..] : text;
            return $"--- output seen (last {tail.Length} chars, match cursor at {_textCursor} of {text.Length}) ---\n{tail}\n"
                + $"--- events ---\n{string.Join("\n", _events.TakeLast(40))}\n--- closed: {Closed} {CloseStatus} {CloseDescription}";
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    lock (_gate)
                    {
                        CloseStatus = _socket.CloseStatus;
                        CloseDescription = _socket.CloseStatusDescription;
                        _events.Add($"close {CloseStatus} {CloseDescription}");
                    }
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    break;
                }
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    lock (_gate)
                    {
                        _output.Write(buffer, 0, result.Count);
                        var chars = new char[_decoder.GetCharCount(buffer, 0, result.Count)];
                        _decoder.GetChars(buffer, 0, result.Count, chars, 0);
                        _text.Append(chars);
                        Signal();
                    }
                    continue;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                var control = JsonSerializer.Deserialize(message.ToArray(), CattyJson.Default.ControlMessage)!;
                message.SetLength(0);
                lock (_gate)
                {
                    _controls.Add(control);
                    _events.Add("control " + control);
                    Signal();
                }
                if (control is PingMessage && AnswerPings)
                    await SendControlAsync(new PongMessage());
            }
        }
        catch (WebSocketException e)
        {
            lock (_gate)
                _events.Add("receive ended: " + e.Message);
        }
        catch (ObjectDisposedException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        lock (_gate)
        {
            Closed = true;
            Signal();
        }
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
