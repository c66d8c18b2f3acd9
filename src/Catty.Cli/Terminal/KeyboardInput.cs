using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Catty.Cli.Terminal;

/// <summary>
/// Standard input read on a thread of its own (a blocking read on a terminal cannot be cancelled), one
/// chunk per read, and only while somebody waits for keys: between connections and while catty exits,
/// what is typed stays in the terminal for whoever reads next (the next connection, or the shell once
/// catty has gone). The thread waits in poll(2) on the input and an eventfd that says the demand changed.
/// Chunks read for a waiter that gave up are kept for the next one.
/// </summary>
internal sealed partial class KeyboardInput
{
    private const short PollIn = 0x1;
    private const int EINTR = 4;
    private const int EfdCloexec = 0x80000;

    private static readonly Lazy<KeyboardInput> Shared = new(() => new KeyboardInput(StandardStreams.Input, 0));

    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Stream _input;
    private readonly int _inputFd;
    private readonly int _wake;
    private readonly DescriptorStream _wakeReader;
    private readonly DescriptorStream _wakeWriter;
    private int _waiting;
    private volatile bool _closed;

    /// <summary>Reads <paramref name="input"/>, whose descriptor is <paramref name="inputFd"/>, for whoever asks.</summary>
    internal KeyboardInput(Stream input, int inputFd)
    {
        _input = input;
        _inputFd = inputFd;
        _wake = EventFd(0, EfdCloexec);
        if (_wake < 0)
        {
            throw new IOException($"eventfd failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        _wakeReader = new DescriptorStream(_wake, writable: false);
        _wakeWriter = new DescriptorStream(_wake, writable: true);

        var reader = new Thread(ReadLoop) { IsBackground = true, Name = "stdin" };
        reader.Start();
    }

    /// <summary>The process's one reader of standard input, started on first use.</summary>
    public static KeyboardInput Instance => Shared.Value;

    /// <summary>
    /// Stops reading standard input for good, if it was ever read: catty is about to exit (on a signal, with
    /// a connection still waiting for keys), and whatever is typed from now on is for the shell.
    /// </summary>
    public static void Close()
    {
        if (Shared.IsValueCreated)
        {
            Shared.Value.StopReading();
        }
    }

    /// <summary>Reads nothing more, even for a waiter: what is typed from now on stays in the terminal.</summary>
    internal void StopReading()
    {
        _closed = true;
        Wake();
    }

    /// <summary>The next chunk typed; <see cref="ChannelClosedException"/> once the input has ended.</summary>
    public async ValueTask<byte[]> ReadAsync(CancellationToken ct)
    {
        if (_chunks.Reader.TryRead(out var kept))
        {
            return kept;
        }

        Interlocked.Increment(ref _waiting);
        Wake();
        try
        {
            return await _chunks.Reader.ReadAsync(ct);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            Wake();
        }
    }

    private void ReadLoop()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                if (!WaitForInput())
                {
                    continue;
                }

                var read = _input.Read(buffer);
                if (read <= 0)
                {
                    break;
                }

                _chunks.Writer.TryWrite(buffer.AsSpan(0, read).ToArray());
            }
        }
        catch (IOException)
        {
            // The terminal went away.
        }

        _chunks.Writer.TryComplete();
    }

    /// <summary>Blocks until the input is readable while somebody waits (true), or the demand changed (false).</summary>
    private unsafe bool WaitForInput()
    {
        var watching = Volatile.Read(ref _waiting) > 0 && !_closed;
        var fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = _wake, Events = PollIn };
        fds[1] = new PollFd { Fd = _inputFd, Events = PollIn };
        var ready = Poll(fds, watching ? 2u : 1u, -1);
        if (ready < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == EINTR ? false : throw new IOException($"poll failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        if (fds[0].Revents != 0)
        {
            _wakeReader.ReadExactly(stackalloc byte[sizeof(ulong)]);
            return false;
        }

        // Any event on the input (data, hang-up, error) is for read(2) to report.
        return watching && fds[1].Revents != 0;
    }

    /// <summary>Adds one to the eventfd's counter (a native-endian 64-bit number), which makes the reader's poll return.</summary>
    private void Wake()
    {
        Span<byte> one = stackalloc byte[sizeof(ulong)];
        MemoryMarshal.Write(one, 1UL);
        _wakeWriter.Write(one);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initval, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollFd* fds, nuint count, int timeout);
}
