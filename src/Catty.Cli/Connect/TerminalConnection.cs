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
    : ITerminalReceiver
{
    /// <summary>DESIGN.md: the server pings about every 25 s; a client hears nothing for 75 s only from a dead peer.</summary>
    public static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(75);

    // file_change can carry a 50 MB file: the SDK parser's 64 KiB bound is for what clients send.
    private const int MaxTextFrameBytes = 96 * 1024 * 1024;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _sizing = new(1, 1);
    private (int Cols, int Rows)? _sentSize;
    private TerminalSocket _socket = null!;
    private ProgramExited? _exited;
    private string _workspaceDir = "/workspace";

    /// <summary>Whether the session said it was ready (the screen replay came); a retry counter restarts then.</summary>
    public bool WasReady { get; private set; }

    /// <summary>Shown once the session is ready again after a drop.</summary>
    public string? ReadyNotice { get; init; }

    public async Task<ConnectionEnd> RunAsync(ConnectTarget target, CancellationToken ct)
    {
        var options = new TerminalConnectOptions
        {
            Headers = new Dictionary<string, string>
            {
                ["Authorization"] = "Bearer " + target.ConnectToken,
                ["User-Agent"] = $"catty/{VersionInfo.Version}",
            },
            Time = time,
        };
        switch (await TerminalSocket.ConnectAsync(new Uri(target.ConnectUrl), options, ct))
        {
            case TerminalConnectFailed { Status: var status } when (int)status is >= 400 and < 500:
                return new Refused(status, $"{(int)status} {status}");
            case TerminalConnectFailed failed:
                return new Dropped(failed.Reason);
            case TerminalConnected connected:
                _socket = connected.Socket;
                break;
        }

        using var socket = _socket;
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
            await socket.CloseAsync("detached", CloseTimeout);
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

    private async Task<ConnectionEnd> ReceiveAsync(CancellationToken ct) =>
        await _socket.ReceiveAsync(this, MaxTextFrameBytes, ct) switch
        {
            TerminalClosed { Close: { IsReplaced: true } close } => new Replaced(close.Description!),
            TerminalClosed { Close: var close } =>
                new Dropped($"the server closed the connection ({(int?)close.Status} {close.Description})".Replace(" )", ")", StringComparison.Ordinal)),
            TerminalReceiveStopped when _exited is { } exited => exited,
            TerminalBroken broken => new Dropped(broken.Reason),
            var other => new Dropped(other.ToString()),
        };

    void ITerminalReceiver.Output(ReadOnlySpan<byte> bytes) => terminal.WriteOutput(bytes);

    void ITerminalReceiver.OversizedControl(int limitBytes) =>
        terminal.Notice($"ignored a control message larger than {limitBytes / (1024 * 1024)} MB");

    /// <summary>Acts on one control message; false when the program exited, which ends the connection.</summary>
    async ValueTask<bool> ITerminalReceiver.ControlAsync(ReadOnlyMemory<byte> json, CancellationToken ct)
    {
        ControlMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(json.Span, CattyJson.Default.ControlMessage);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            terminal.Notice("ignored a control message catty does not understand");
            return true;
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
                _exited = new ProgramExited(exit.Code, exit.Signal);
                return false;
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

        return true;
    }

    private async Task<ConnectionEnd> WatchSilenceAsync(CancellationToken ct)
    {
        while (true)
        {
            var quiet = _socket.SinceLastHeard;
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

    private Task SendControlAsync(ControlMessage message, CancellationToken ct) => Sending(_socket.SendControlAsync(message, ct));

    private Task SendBinaryAsync(byte[] bytes, CancellationToken ct) => Sending(_socket.SendInputAsync(bytes, ct));

    private static async Task Sending(Task send)
    {
        try
        {
            await send;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The receive side notices the broken connection and ends it.
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
