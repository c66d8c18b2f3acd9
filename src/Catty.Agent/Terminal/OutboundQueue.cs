using System.Net.WebSockets;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Terminal;

/// <summary>What the sender writes next.</summary>
internal enum OutboundKind
{
    /// <summary>Program output, coalesced into the caller's frame buffer.</summary>
    Binary,

    /// <summary>A JSON control message.</summary>
    Control,

    /// <summary>Close the WebSocket with the given status; nothing follows.</summary>
    Close,

    /// <summary>A JSON control message already serialized (a background <c>file_change</c>).</summary>
    Text,
}

internal readonly record struct OutboundFrame(
    OutboundKind Kind, int Length, ControlMessage? Control, WebSocketCloseStatus CloseStatus, string? CloseReason, byte[]? Payload = null);

/// <summary>
/// Everything the agent sends one driver, in order: a replay, then output bytes and control messages.
/// Output lives in one byte ring bounded by <c>capacity</c>: the PTY reader calls
/// <see cref="WaitForSpace"/> before each read, so when the driver is slow the reader stops reading and
/// the program blocks in write() instead of the agent buffering without bound. Enqueueing never blocks
/// (it runs under the session lock) and allocates nothing: the ring has room for the capacity plus one
/// read chunk, which is all the reader can add once it has waited. Control messages are pinned to the
/// output position at which they were queued, so they go out exactly between the right bytes.
/// Background messages (sync-back) sit in a second queue bounded by <c>backgroundCapacityBytes</c>: they
/// are not pinned to the output and alternate with terminal frames, so a burst of file changes never
/// holds the terminal back by more than one message, and a busy terminal never starves them.
/// One dedicated sender thread takes frames with <see cref="Dequeue"/>, sleeping on a <see cref="Doorbell"/>
/// while there is nothing to send; producers ring it (after leaving the lock) only when it sleeps.
/// </summary>
internal sealed class OutboundQueue(int capacityBytes, int maxChunkBytes, int backgroundCapacityBytes = 8 * 1024 * 1024) : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<byte[]> _background = new();
    private long _backgroundBytes;
    private bool _backgroundTurn;
    private TaskCompletionSource? _backgroundSpace;
    private readonly Queue<(long Position, ControlMessage Message)> _controls = new();
    private byte[]? _replay;
    private int _replayOffset;
    private readonly ByteRing _bytes = new(capacityBytes + maxChunkBytes);
    private bool _closing;
    private WebSocketCloseStatus _closeStatus;
    private string? _closeReason;
    private readonly Doorbell _doorbell = new();
    private bool _senderWaiting;
    private bool _cancelled;

    /// <summary>Output bytes waiting to be sent (the replay not included).</summary>
    public long OutputBytes
    {
        get
        {
            lock (_gate)
                return _bytes.Pending;
        }
    }

    /// <summary>Whether the sender sleeps on the doorbell, waiting for a producer to ring it; lets a test queue only then.</summary>
    internal bool SenderWaiting
    {
        get
        {
            lock (_gate)
                return _senderWaiting;
        }
    }

    /// <summary>Queues the replay, which goes out before any output; a driver gets one, first.</summary>
    public void EnqueueReplay(byte[] replay)
    {
        bool ring;
        lock (_gate)
        {
            if (_closing || replay.Length == 0)
                return;
            _replay = replay;
            _replayOffset = 0;
            ring = Wake();
        }
        RingIf(ring);
    }

    /// <summary>Copies <paramref name="data"/> (at most one read chunk) in; ignored once the queue is closing.</summary>
    public void EnqueueOutput(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return;
        bool ring;
        lock (_gate)
        {
            if (_closing)
                return;
            _bytes.Append(data);
            ring = Wake();
        }
        RingIf(ring);
    }

    public void EnqueueControl(ControlMessage message)
    {
        bool ring;
        lock (_gate)
        {
            if (_closing)
                return;
            _controls.Enqueue((_bytes.Written, message));
            ring = Wake();
        }
        RingIf(ring);
    }

    /// <summary>
    /// Waits until the background queue has room, then queues <paramref name="utf8Json"/> (a serialized text
    /// message). Returns false, queueing nothing, once the queue is closing. One message larger than the
    /// whole budget still goes in when the queue is empty.
    /// </summary>
    public async ValueTask<bool> EnqueueBackgroundAsync(byte[] utf8Json, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task? wait = null;
            var ring = false;
            lock (_gate)
            {
                if (_closing)
                    return false;
                // Checked under the lock: once the producer is cancelled (sync-back stopped) and the
                // queue cleared, nothing of it can slip in.
                cancellationToken.ThrowIfCancellationRequested();
                if (_background.Count == 0 || _backgroundBytes + utf8Json.Length <= backgroundCapacityBytes)
                {
                    _background.Enqueue(utf8Json);
                    _backgroundBytes += utf8Json.Length;
                    ring = Wake();
                }
                else
                {
                    _backgroundSpace ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _backgroundSpace.Task;
                }
            }
            if (wait is null)
            {
                RingIf(ring);
                return true;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops background messages not yet sent (their producer has stopped).</summary>
    public void ClearBackground()
    {
        lock (_gate)
        {
            _background.Clear();
            _backgroundBytes = 0;
            WakeBackground();
        }
    }

    /// <summary>
    /// Ends the queue with a close frame. With <paramref name="discardPending"/> what is queued is dropped
    /// (a replaced driver gets nothing more); otherwise it is sent first.
    /// </summary>
    public void Close(WebSocketCloseStatus status, string reason, bool discardPending)
    {
        bool ring;
        lock (_gate)
        {
            if (_closing)
                return;
            _closing = true;
            _closeStatus = status;
            _closeReason = reason;
            if (discardPending)
            {
                _replay = null;
                _controls.Clear();
                _bytes.Discard();
                _background.Clear();
                _backgroundBytes = 0;
            }
            Monitor.PulseAll(_gate);
            ring = Wake();
            WakeBackground();
        }
        RingIf(ring);
    }

    /// <summary>Blocks the PTY reader while the queue holds its capacity or more; returns at once when closing.</summary>
    public void WaitForSpace()
    {
        lock (_gate)
        {
            while (!_closing && _bytes.Pending >= capacityBytes)
                Monitor.Wait(_gate);
        }
    }

    /// <summary>
    /// The next frame, waiting for one. Output queued since the last frame is copied into
    /// <paramref name="frameBuffer"/> up to its length (or the next control message), so a burst of small reads
    /// goes out as one large frame. Called from one sender thread only.
    /// </summary>
    /// <exception cref="OperationCanceledException"><see cref="Cancel"/> was called.</exception>
    public OutboundFrame Dequeue(byte[] frameBuffer)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_cancelled)
                    throw new OperationCanceledException("the connection is being cut off");
                if (TryTake(frameBuffer) is { } frame)
                    return frame;
                _senderWaiting = true;
            }
            _doorbell.Wait();
        }
    }

    /// <summary>Makes the sender's <see cref="Dequeue"/> throw, now or at its next call.</summary>
    public void Cancel()
    {
        bool ring;
        lock (_gate)
        {
            _cancelled = true;
            ring = Wake();
        }
        RingIf(ring);
    }

    /// <summary>Releases the doorbell; the sender thread must have ended.</summary>
    public void Dispose() => _doorbell.Dispose();

    private OutboundFrame? TryTake(byte[] frameBuffer)
    {
        if (_replay is { } replay)
        {
            var n = Math.Min(frameBuffer.Length, replay.Length - _replayOffset);
            replay.AsSpan(_replayOffset, n).CopyTo(frameBuffer);
            _replayOffset += n;
            if (_replayOffset == replay.Length)
                _replay = null;
            return new OutboundFrame(OutboundKind.Binary, n, null, default, null);
        }
        var hasControl = _controls.TryPeek(out var next);
        var foregroundReady = (hasControl && next.Position <= _bytes.Read) || (hasControl ? next.Position : _bytes.Written) > _bytes.Read;
        // A background message never overtakes a queued control message (so `sync_back_ack` precedes the
        // changes it announces); otherwise it alternates with terminal frames.
        if (_background.Count > 0 && !hasControl && (_backgroundTurn || !foregroundReady))
        {
            _backgroundTurn = false;
            var payload = _background.Dequeue();
            _backgroundBytes -= payload.Length;
            WakeBackground();
            return new OutboundFrame(OutboundKind.Text, payload.Length, null, default, null, payload);
        }
        _backgroundTurn = true;
        if (hasControl && next.Position <= _bytes.Read)
        {
            _controls.Dequeue();
            return new OutboundFrame(OutboundKind.Control, 0, next.Message, default, null);
        }
        var until = hasControl ? next.Position : _bytes.Written;
        if (until > _bytes.Read)
        {
            var length = (int)Math.Min(frameBuffer.Length, until - _bytes.Read);
            var wasFull = _bytes.Pending >= capacityBytes;
            _bytes.Take(frameBuffer.AsSpan(0, length));
            if (wasFull && _bytes.Pending < capacityBytes)
                Monitor.PulseAll(_gate);
            return new OutboundFrame(OutboundKind.Binary, length, null, default, null);
        }
        if (_closing)
            return new OutboundFrame(OutboundKind.Close, 0, null, _closeStatus, _closeReason);
        return null;
    }

    private void WakeBackground()
    {
        _backgroundSpace?.TrySetResult();
        _backgroundSpace = null;
    }

    /// <summary>Under the lock: whether the sender sleeps and must be woken, which the caller does once it has left the lock.</summary>
    private bool Wake()
    {
        if (!_senderWaiting)
            return false;
        _senderWaiting = false;
        return true;
    }

    private void RingIf(bool ring)
    {
        if (ring)
            _doorbell.Ring();
    }
}
