using System.Net.WebSockets;
using System.Text.Json;
using Catty.Cli.SyncBack;
using Catty.Sdk;
using Catty.Sdk.Terminal;

namespace Catty.Cli.Connect;

/// <summary>
/// One WebSocket connection to a session's terminal: keystrokes go out as binary frames, output is written
/// straight to the local terminal, control messages (resize, ping/pong, sync-back, uploads, exit) in text
/// frames. Runs until the user detaches, the program exits, another client takes over, or the connection
/// drops (including 75 s without a word from the server).
/// </summary>
internal sealed partial class TerminalConnection(LocalTerminal terminal, KeyboardFilter keyboard, SyncBackApplier? syncBack, string home, TimeProvider time)
{
    /// <summary>DESIGN.md: the server pings about every 25 s; a client hears nothing for 75 s only from a dead peer.</summary>
    public static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(75);

    private const int MaxTextFrameBytes = 96 * 1024 * 1024;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly SemaphoreSlim _sizing = new(1, 1);
    private (int Cols, int Rows)? _sentSize;
    private ClientWebSocket _socket = null!;
    private long _lastHeard;
    private string _workspaceDir = "/workspace";

    /// <summary>Whether the session said it was ready (the screen replay came); a retry counter restarts then.</summary>
    public bool WasReady { get; private set; }

    /// <summary>Shown once the session is ready again after a drop.</summary>
    public string? ReadyNotice { get; init; }

    public async Task<ConnectionEnd> RunAsync(ConnectTarget target, CancellationToken ct)
    {
        using var socket = new ClientWebSocket();
        _socket = socket;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", "Bearer " + target.ConnectToken);
        socket.Options.SetRequestHeader("User-Agent", $"catty/{VersionInfo.Version}");
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connecting.CancelAfter(ConnectTimeout);
            try
            {
                await socket.ConnectAsync(new Uri(target.ConnectUrl), connecting.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException or IOException or System.Net.Sockets.SocketException)
            {
                ct.ThrowIfCancellationRequested();
                var status = socket.HttpStatusCode;
                return (int)status is >= 400 and < 500
                    ? new Refused(status, $"{(int)status} {status}")
                    : new Dropped(e is OperationCanceledException ? "connecting timed out" : e.Message);
            }
        }

        _lastHeard = time.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await SendSizeAsync(stop.Token);
        // Without sync-back the ack still names the workspace folder, which pasted files' paths need.
        await SendControlAsync(new SyncBackMessage(syncBack is not null), stop.Token);

        var receiving = ReceiveAsync(stop.Token);
        var typing = TypeAsync(stop.Token);
        var watching = WatchSilenceAsync(stop.Token);
        var resizing = FollowResizeAsync(stop.Token);
        var first = await Task.WhenAny(receiving, typing, watching);
        var end = await first;
        if (end is Detached)
        {
            // A clean close, so the server knows the client left on purpose; cancelling a receive would abort.
            await CloseAsync();
            await Task.WhenAny(receiving, Task.Delay(CloseTimeout, time, CancellationToken.None));
        }

        await stop.CancelAsync();
        if (end is Dropped)
        {
            socket.Abort();
        }

        await Task.WhenAll(Quietly(receiving), Quietly(typing), Quietly(watching), Quietly(resizing));
        return end;
    }

    private async Task<ConnectionEnd> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var text = new MemoryStream();
        var oversized = false;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), ct);
                Volatile.Write(ref _lastHeard, time.GetTimestamp());
                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        return _socket.CloseStatus == WebSocketCloseStatus.PolicyViolation
                            && (_socket.CloseStatusDescription ?? "").Contains("replaced", StringComparison.OrdinalIgnoreCase)
                            ? new Replaced(_socket.CloseStatusDescription!)
                            : new Dropped($"the server closed the connection ({(int?)_socket.CloseStatus} {_socket.CloseStatusDescription})".Replace(" )", ")", StringComparison.Ordinal));
                    case WebSocketMessageType.Binary:
                        terminal.WriteOutput(buffer.AsSpan(0, result.Count));
                        continue;
                }

                if (!oversized && text.Length + result.Count <= MaxTextFrameBytes)
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
                    terminal.Notice($"ignored a control message larger than {MaxTextFrameBytes / (1024 * 1024)} MB");
                }
                else if (await HandleAsync(text.GetBuffer().AsMemory(0, (int)text.Length), ct) is { } end)
                {
                    return end;
                }

                text.SetLength(0);
                oversized = false;
            }
        }
        catch (OperationCanceledException)
        {
            return new Dropped("cancelled");
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            return new Dropped(e.Message);
        }
    }

    /// <summary>Acts on one control message; returns how the connection ends when it does.</summary>
    private async Task<ConnectionEnd?> HandleAsync(ReadOnlyMemory<byte> json, CancellationToken ct)
    {
        ControlMessage? message;
        try
        {
            // file_change can carry a 50 MB file: the SDK parser's 64 KiB bound is for what clients send.
            message = JsonSerializer.Deserialize(json.Span, CattyJson.Default.ControlMessage);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            terminal.Notice("ignored a control message catty does not understand");
            return null;
        }

        switch (message)
        {
            case ReadyMessage:
                WasReady = true;
                if (ReadyNotice is { } notice)
                {
                    terminal.Notice(notice);
                }

                break;
            case ExitMessage exit:
                return new ProgramExited(exit.Code, exit.Signal);
            case ErrorMessage error:
                terminal.Notice($"session: {error.Message}");
                break;
            case PingMessage:
                await SendControlAsync(new PongMessage(), ct);
                break;
            case SyncBackAckMessage ack:
                _workspaceDir = ack.WorkspaceDir;
                if (syncBack is not null)
                {
                    syncBack.WorkspaceDir = ack.WorkspaceDir;
                }

                break;
            case FileChangeMessage change when syncBack is not null:
                var result = syncBack.Apply(change);
                if (result.Refusal is { } reason)
                {
                    terminal.Notice($"sync-back refused '{change.Path}': {reason}");
                }
                else if (result.KeptBecause is { } because)
                {
                    terminal.Notice($"sync-back kept '{result.Path}': {because}");
                }

                break;
        }

        return null;
    }

    private async Task<ConnectionEnd> WatchSilenceAsync(CancellationToken ct)
    {
        while (true)
        {
            var quiet = time.GetElapsedTime(Volatile.Read(ref _lastHeard));
            if (quiet >= SilenceLimit)
            {
                return new Dropped($"no word from the server for {SilenceLimit.TotalSeconds:0} s");
            }

            await Task.Delay(SilenceLimit - quiet, time, ct);
        }
    }

    private async Task FollowResizeAsync(CancellationToken ct)
    {
        while (true)
        {
            await terminal.NextResize.WaitAsync(ct);
            await SendSizeAsync(ct);
        }
    }

    /// <summary>
    /// Sends the local window's size when it differs from the last one sent (or none was yet). Called on
    /// connecting, on SIGWINCH and before every keystroke sent, so that a key typed just after a resize reaches
    /// a program that already has the new size (the signal is handled on another thread and could otherwise
    /// lose the race).
    /// </summary>
    private async Task SendSizeAsync(CancellationToken ct)
    {
        await _sizing.WaitAsync(ct);
        try
        {
            var size = terminal.Size;
            if (size != _sentSize)
            {
                await SendControlAsync(new ResizeMessage(size.Cols, size.Rows), ct);
                _sentSize = size;
            }
        }
        finally
        {
            _sizing.Release();
        }
    }

    private Task SendControlAsync(ControlMessage message, CancellationToken ct) =>
        SendAsync(ControlMessageParser.ToUtf8(message), WebSocketMessageType.Text, ct);

    private Task SendBinaryAsync(byte[] bytes, CancellationToken ct) => SendAsync(bytes, WebSocketMessageType.Binary, ct);

    private async Task SendAsync(byte[] bytes, WebSocketMessageType type, CancellationToken ct)
    {
        await _sending.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(bytes, type, endOfMessage: true, ct);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The receive side notices the broken connection and ends it.
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "detached", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
        }
    }
}
