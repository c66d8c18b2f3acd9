using System.Net.Sockets;
using System.Runtime.InteropServices;
using Catty.Agent.Terminal;

namespace Catty.Agent.Http;

/// <summary>
/// A connected socket read and written on the calling thread: recv(2) and send(2) without waiting, and poll(2)
/// while the socket is not ready, until <see cref="Dispose(bool)"/> wakes it. Its async methods complete
/// before they return. Bytes already read past the HTTP head come first.
/// </summary>
/// <remarks>
/// For the terminal WebSocket, driven by dedicated threads: a keystroke then reaches the PTY with one
/// wake-up of the receiving thread, where the runtime's socket engine takes two (its epoll thread, then a
/// thread-pool worker) and, under NativeAOT on a busy machine, spins on a process-wide lock in between.
/// One thread may read while another writes. <see cref="TakeOver"/> moves the connection to a descriptor of
/// its own, out of the runtime's epoll set: otherwise every packet would still wake the engine's thread and
/// a thread-pool worker, even with no runtime operation waiting. See docs/design/0305.
/// </remarks>
internal sealed class BlockingSocketStream(SafeSocketHandle socket, ReadOnlyMemory<byte> prefix) : Stream
{
    private const int MsgDontWait = 0x40;
    private const int MsgNoSignal = 0x4000;
    private const short PollIn = 0x1;
    private const short PollOut = 0x4;
    private const int EIntr = 4;
    private const int EAgain = 11;

    private readonly SafeSocketHandle _socket = socket;
    private readonly Doorbell _closed = new();
    private ReadOnlyMemory<byte> _prefix = prefix;
    private int _disposed;

    /// <summary>
    /// Duplicates <paramref name="socket"/>'s descriptor into a stream that owns the copy, then closes the original
    /// (with no operation pending, so gracefully: the connection lives on in the copy).
    /// </summary>
    public static BlockingSocketStream TakeOver(Socket socket, ReadOnlyMemory<byte> prefix)
    {
        var fd = Dup((int)socket.Handle);
        if (fd < 0)
            throw new IOException($"dup failed (errno {Marshal.GetLastPInvokeError()})");
        var own = new SafeSocketHandle(fd, ownsHandle: true);
        socket.Dispose();
        return new BlockingSocketStream(own, prefix);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Waits until bytes arrive; 0 once the peer has closed its side.</summary>
    public override int Read(Span<byte> buffer)
    {
        if (!_prefix.IsEmpty)
        {
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }
        while (true)
        {
            var added = false;
            nint read;
            var errno = 0;
            try
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
                _socket.DangerousAddRef(ref added);
                do
                    read = Recv((int)_socket.DangerousGetHandle(), ref MemoryMarshal.GetReference(buffer), buffer.Length, MsgDontWait);
                while (read < 0 && (errno = Marshal.GetLastPInvokeError()) == EIntr);
            }
            finally
            {
                if (added)
                    _socket.DangerousRelease();
            }
            if (read >= 0)
                return (int)read;
            WaitFor(PollIn, errno, "receive");
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Writes all of <paramref name="buffer"/>, waiting while the socket's send buffer is full.</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var added = false;
            nint sent;
            var errno = 0;
            try
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
                _socket.DangerousAddRef(ref added);
                do
                    sent = Send((int)_socket.DangerousGetHandle(), ref MemoryMarshal.GetReference(buffer), buffer.Length, MsgDontWait | MsgNoSignal);
                while (sent < 0 && (errno = Marshal.GetLastPInvokeError()) == EIntr);
            }
            finally
            {
                if (added)
                    _socket.DangerousRelease();
            }
            if (sent >= 0)
                buffer = buffer[(int)sent..];
            else
                WaitFor(PollOut, errno, "send");
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return ValueTask.FromException(e);
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Wakes any thread waiting to read or write, then closes the socket once none uses it; every call after this fails.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _closed.Ring();
            _closed.Dispose();
            _socket.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// After a call that failed with <paramref name="errno"/>: for EAGAIN, waits until the socket is ready for
    /// <paramref name="events"/> (or has failed: the next call reports how); throws for any other error, and
    /// once the stream is disposed.
    /// </summary>
    private void WaitFor(short events, int errno, string operation)
    {
        if (errno != EAgain)
            throw new IOException($"socket {operation} failed (errno {errno})", new SocketException(errno));
        bool socketAdded = false, closedAdded = false;
        try
        {
            _socket.DangerousAddRef(ref socketAdded);
            _closed.DangerousAddRef(ref closedAdded);
            Span<PollFd> fds = stackalloc PollFd[2];
            fds[0] = new PollFd { Fd = (int)_socket.DangerousGetHandle(), Events = events };
            fds[1] = new PollFd { Fd = (int)_closed.DangerousGetHandle(), Events = PollIn };
            while (Poll(ref MemoryMarshal.GetReference(fds), 2, -1) < 0)
            {
                var pollErrno = Marshal.GetLastPInvokeError();
                if (pollErrno != EIntr)
                    throw new IOException($"poll before {operation} failed (errno {pollErrno})");
            }
            if (fds[1].REvents != 0)
                throw new ObjectDisposedException(nameof(BlockingSocketStream), $"the connection was closed while waiting to {operation}");
        }
        catch (ObjectDisposedException) when (!closedAdded)
        {
            // Disposed between the call and the wait.
            throw new ObjectDisposedException(nameof(BlockingSocketStream), $"the connection was closed while waiting to {operation}");
        }
        finally
        {
            if (closedAdded)
                _closed.DangerousRelease();
            if (socketAdded)
                _socket.DangerousRelease();
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);

    /// <summary>F_DUPFD_CLOEXEC from 3 up: a copy the agent's children never inherit.</summary>
    private static int Dup(int fd) => Fcntl(fd, 1030, 3);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static extern nint Recv(int fd, ref byte buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    private static extern nint Send(int fd, ref byte buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll(ref PollFd fds, nuint count, int timeout);
}
