using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Catty.Agent.Hosting;
using Catty.Agent.SyncBack;
using Catty.Agent.Uploads;
using Catty.Pty;
using Catty.Sdk;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Terminal;

/// <summary>
/// One client driving the terminal over a WebSocket: a receiver thread (binary = keystrokes, text = control),
/// a sender thread draining the <see cref="OutboundQueue"/>, and a keepalive clock.
/// </summary>
/// <remarks>
/// Both are dedicated threads blocking in system calls (over a <c>BlockingSocketStream</c>, whose async
/// methods complete before they return), the sender waiting on the queue's doorbell when there is nothing
/// to send: a keystroke reaches the PTY, and output the socket, with one wake-up each and no thread-pool
/// work item; see docs/design/0305.
/// </remarks>
internal sealed class TerminalDriver
{
    private const int ReceiveBufferBytes = 16 * 1024;

    private readonly WebSocket _socket;
    private readonly TerminalSession _session;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly AgentLog _log;
    private readonly CancellationTokenSource _abort;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly UploadReceiver _uploads;
    private SyncBackSource? _syncBack;
    private Task _syncBackStopped = Task.CompletedTask;
    private long _lastReceived;
    private long _lastSendCompleted;
    private long _lastPing;
    private int _writingInput;
    private int _closeStarted;

    public TerminalDriver(WebSocket socket, TerminalSession session, AgentOptions options, TimeProvider time, AgentLog log)
    {
        _socket = socket;
        _session = session;
        _options = options;
        _time = time;
        _log = log;
        Queue = new OutboundQueue(options.OutputQueueBytes, options.ReadChunkBytes, options.SyncBackQueueBytes);
        _uploads = new UploadReceiver(session.Workspace, options, time, log);
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _lastReceived = _lastSendCompleted = _lastPing = time.GetTimestamp();
    }

    public OutboundQueue Queue { get; }

    /// <summary>Completes when the connection is over.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Runs until the client leaves, is replaced, times out, or the agent shuts down.</summary>
    public async Task RunAsync()
    {
        _session.Attach(this);
        _log.Info("driver connected");
        var sending = StartThread("terminal-sender", SendLoop);
        using var cutOff = _abort.Token.Register(Queue.Cancel);
        using var keepalive = _time.CreateTimer(_ => CheckKeepalive(), null, _options.KeepaliveTick, _options.KeepaliveTick);
        var clean = false;
        try
        {
            clean = await StartThread("terminal-receiver", ReceiveLoop).ConfigureAwait(false);
        }
        finally
        {
            _session.Detach(this);
            // A peer that vanished without a close frame cannot take a close frame either.
            if (!clean)
                _socket.Abort();
            Close(WebSocketCloseStatus.NormalClosure, "", discardPending: true);
            _uploads.Dispose();
            StopSyncBack();
            await _syncBackStopped.ConfigureAwait(false);
            await sending.ConfigureAwait(false);
            _socket.Dispose();
            Queue.Dispose();
            _abort.Dispose();
            _log.Info("driver disconnected");
            _completion.TrySetResult();
        }
    }

    /// <summary>
    /// Starts closing: the send loop sends the close frame once what may still be sent is out; a peer that
    /// does not complete the handshake within the close timeout is cut off.
    /// </summary>
    public void Close(WebSocketCloseStatus status, string reason, bool discardPending = true)
    {
        Queue.Close(status, reason, discardPending);
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0)
            return;
        try
        {
            _abort.CancelAfter(_options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    /// <summary>Returns true when the loop ended on the peer's close frame, false when the connection broke.</summary>
    private bool ReceiveLoop()
    {
        var buffer = new byte[ReceiveBufferBytes];
        ArrayBufferWriter<byte>? text = null;
        var oversized = false;
        try
        {
            while (true)
            {
                var receiving = _socket.ReceiveAsync(buffer.AsMemory(), _abort.Token);
                // Completed already unless the WebSocket had to wait to answer a ping or close while the sender sends.
                var result = receiving.IsCompleted ? receiving.GetAwaiter().GetResult() : receiving.AsTask().GetAwaiter().GetResult();
                Volatile.Write(ref _lastReceived, _time.GetTimestamp());
                if (result.MessageType == WebSocketMessageType.Close)
                    return true;
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    if (result.Count > 0)
                        WriteInput(buffer.AsSpan(0, result.Count));
                    continue;
                }
                text ??= new ArrayBufferWriter<byte>(1024);
                // Uploads carry base64 content and may be larger; other types are held to the smaller bound below.
                if (!oversized && text.WrittenCount + result.Count > Math.Max(_options.MaxControlMessageBytes, _options.MaxUploadMessageBytes))
                {
                    // The rest of a huge frame is read and thrown away, never buffered.
                    oversized = true;
                    text = null;
                }
                if (!oversized)
                    text!.Write(buffer.AsSpan(0, result.Count));
                if (!result.EndOfMessage)
                    continue;
                if (oversized)
                    Queue.EnqueueControl(new ErrorMessage($"control message larger than {_options.MaxControlMessageBytes} bytes (uploads: {_options.MaxUploadMessageBytes}) was discarded"));
                else
                    HandleControl(text!.WrittenSpan);
                text = null;
                oversized = false;
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private void WriteInput(ReadOnlySpan<byte> data)
    {
        // A program that does not read its input blocks this write; that is not client silence.
        Volatile.Write(ref _writingInput, 1);
        try
        {
            if (!_session.Input(data))
                Queue.EnqueueControl(new ErrorMessage("the program has exited; input was dropped"));
        }
        finally
        {
            Volatile.Write(ref _lastReceived, _time.GetTimestamp());
            Volatile.Write(ref _writingInput, 0);
        }
    }

    private void HandleControl(ReadOnlySpan<byte> utf8)
    {
        var message = ClientControlParser.Parse(utf8, out var error);
        if (utf8.Length > _options.MaxControlMessageBytes && message is not (FileUploadMessage or FileUploadChunkMessage))
        {
            Queue.EnqueueControl(new ErrorMessage($"control message larger than {_options.MaxControlMessageBytes} bytes was discarded"));
            return;
        }
        switch (message)
        {
            case null:
                Queue.EnqueueControl(new ErrorMessage(error!));
                break;
            case ResizeMessage resize:
                _session.Resize(resize.Cols, resize.Rows);
                break;
            case SignalMessage signal:
                if (!PtySignals.TryParse(signal.Name, out var number))
                    Queue.EnqueueControl(new ErrorMessage($"unknown signal '{signal.Name}'"));
                else if (!_session.Signal(number))
                    Queue.EnqueueControl(new ErrorMessage($"{signal.Name} was not delivered: no program is running in the foreground"));
                break;
            case PingMessage:
                Queue.EnqueueControl(new PongMessage());
                break;
            case PongMessage:
                break;
            case SyncBackMessage syncBack:
                SetSyncBack(syncBack.Enabled);
                break;
            case FileUploadMessage upload:
                if (_uploads.Receive(upload) is { } uploadError)
                    Queue.EnqueueControl(new ErrorMessage(uploadError));
                break;
            case FileUploadChunkMessage chunk:
                if (_uploads.Receive(chunk) is { } chunkError)
                    Queue.EnqueueControl(new ErrorMessage(chunkError));
                break;
            default:
                Queue.EnqueueControl(new ErrorMessage("unexpected control message"));
                break;
        }
    }

    /// <summary>
    /// Starts or stops this driver's sync-back. A new source sends the ack itself once it knows the current
    /// files, so every change after the ack is sent; stopping is acknowledged at once, nothing follows it.
    /// </summary>
    private void SetSyncBack(bool enabled)
    {
        var ack = new SyncBackAckMessage(enabled, _session.ProgramWorkspace, (int)_options.SyncBackInterval.TotalMilliseconds);
        if (enabled && _syncBack is null && Volatile.Read(ref _closeStarted) == 0)
        {
            _syncBack = new SyncBackSource(_session.Workspace, ack, Queue, _options, _time, _log);
            return;
        }
        if (!enabled)
        {
            StopSyncBack();
            // Changes still queued were made before the client said stop; nothing follows the ack.
            Queue.ClearBackground();
        }
        Queue.EnqueueControl(ack);
    }

    private void StopSyncBack()
    {
        if (_syncBack is not { } source)
            return;
        _syncBack = null;
        var previous = _syncBackStopped;
        _syncBackStopped = StopAsync();

        async Task StopAsync()
        {
            await previous.ConfigureAwait(false);
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Task<T> StartThread<T>(string name, Func<T> loop)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.TrySetResult(loop());
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }

    /// <summary>Returns when the close frame is out or the connection broke.</summary>
    private bool SendLoop()
    {
        var frame = new byte[_options.MaxFrameBytes];
        try
        {
            while (true)
            {
                var next = Queue.Dequeue(frame);
                switch (next.Kind)
                {
                    case OutboundKind.Binary:
                        Send(frame.AsMemory(0, next.Length), WebSocketMessageType.Binary, countsAsProgress: true);
                        break;
                    case OutboundKind.Control:
                        var json = JsonSerializer.SerializeToUtf8Bytes(next.Control!, CattyJson.Default.ControlMessage);
                        Send(json, WebSocketMessageType.Text, countsAsProgress: false);
                        break;
                    case OutboundKind.Text:
                        Send(next.Payload, WebSocketMessageType.Text, countsAsProgress: true);
                        break;
                    case OutboundKind.Close:
                        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                            _socket.CloseOutputAsync(next.CloseStatus, next.CloseReason, _abort.Token).GetAwaiter().GetResult();
                        return true;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone or too slow to close: cut the socket so the receive loop ends too.
            _socket.Abort();
            return false;
        }
    }

    private void Send(ReadOnlyMemory<byte> data, WebSocketMessageType type, bool countsAsProgress)
    {
        var sending = _socket.SendAsync(data, type, endOfMessage: true, _abort.Token);
        // Completed already when the socket took it all; otherwise (a congested socket) this thread waits,
        // and the PTY reader waits for queue space behind it.
        if (sending.IsCompleted)
            sending.GetAwaiter().GetResult();
        else
            sending.AsTask().GetAwaiter().GetResult();
        if (countsAsProgress)
            Volatile.Write(ref _lastSendCompleted, _time.GetTimestamp());
    }

    private void CheckKeepalive()
    {
        if (Volatile.Read(ref _closeStarted) == 1)
            return;
        if (_time.GetElapsedTime(Volatile.Read(ref _lastPing)) >= _options.PingInterval)
        {
            Volatile.Write(ref _lastPing, _time.GetTimestamp());
            Queue.EnqueueControl(new PingMessage());
        }
        if (_time.GetElapsedTime(Volatile.Read(ref _lastReceived)) < _options.ClientTimeout || Volatile.Read(ref _writingInput) == 1)
            return;
        // A client busy taking in a flood of output may not get to our ping (it sits behind the output):
        // while output sends keep completing, it is alive. A dead peer stops them once socket buffers fill.
        if (_time.GetElapsedTime(Volatile.Read(ref _lastSendCompleted)) < _options.ClientTimeout)
            return;
        _log.Info("driver silent for too long; dropping it");
        Close(WebSocketCloseStatus.EndpointUnavailable, TerminalCloseReasons.Timeout);
    }
}
