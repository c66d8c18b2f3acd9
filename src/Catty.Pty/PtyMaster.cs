using System.Runtime.InteropServices;
using Catty.Pty.Native;

namespace Catty.Pty;

/// <summary>
/// The master side of the terminal: a non-blocking master fd plus an eventfd that wakes any thread
/// blocked in <see cref="Read"/> or <see cref="Write"/> when the terminal is disposed.
/// </summary>
/// <remarks>
/// Every operation holds a reference on the handle, so a concurrent Dispose cannot close (and the
/// kernel cannot reuse) the fd number while a read or write is still using it; the fds are closed
/// once the last operation returns.
/// </remarks>
internal sealed unsafe class PtyMaster : SafeHandle
{
    private readonly int _wakeFd;
    private volatile bool _closing;

    private PtyMaster(int masterFd, int wakeFd)
        : base(-1, ownsHandle: true)
    {
        SetHandle(masterFd);
        _wakeFd = wakeFd;
    }

    public override bool IsInvalid => handle < 0;

    public int Fd => (int)handle;

    /// <summary>Opens a new master with the given window size and returns it with the path of its slave.</summary>
    public static PtyMaster Open(ushort cols, ushort rows, out string slavePath)
    {
        int fd = LibC.posix_openpt(LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
        if (fd < 0)
            throw new PtyException(Marshal.GetLastPInvokeError(), "cannot open a pseudo-terminal");

        int wakeFd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (wakeFd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            LibC.close(fd);
            throw new PtyException(errno, "cannot create an eventfd");
        }

        var master = new PtyMaster(fd, wakeFd);
        try
        {
            if (LibC.grantpt(fd) != 0)
                throw new PtyException(Marshal.GetLastPInvokeError(), "grantpt failed");
            if (LibC.unlockpt(fd) != 0)
                throw new PtyException(Marshal.GetLastPInvokeError(), "unlockpt failed");

            byte* name = stackalloc byte[128];
            int err = LibC.ptsname_r(fd, name, 128);
            if (err != 0)
                throw new PtyException(err, "ptsname_r failed");
            slavePath = Marshal.PtrToStringUTF8((nint)name)!;

            master.SetWindowSize(cols, rows);
            return master;
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>Reads available output, blocking until some arrives; 0 at the end of output or once closing.</summary>
    public int Read(Span<byte> buffer)
    {
        if (!TryAddRef())
            return 0;
        try
        {
            fixed (byte* p = buffer)
            {
                while (!_closing)
                {
                    nint n = LibC.read(Fd, p, (nuint)buffer.Length);
                    if (n > 0)
                        return (int)n + TakeMoreAvailable(p + n, buffer.Length - (int)n);
                    if (n == 0)
                        return 0;
                    int errno = Marshal.GetLastPInvokeError();
                    switch (errno)
                    {
                        case LibC.EINTR:
                            continue;
                        case LibC.EAGAIN:
                            _ = WaitFor(LibC.POLLIN);
                            continue;
                        case LibC.EIO: // every slave fd is closed: the end of output
                            return 0;
                        default:
                            throw new PtyException(errno, "read from the pseudo-terminal failed");
                    }
                }

                return 0;
            }
        }
        finally
        {
            DangerousRelease();
        }
    }

    /// <summary>
    /// The line discipline hands out at most about 4 KB a read; under a flood of output, taking what is
    /// already there in the same call lets callers pass on large chunks instead of many small ones.
    /// Never waits: stops at the first read that would block, at the end of output, or when full.
    /// </summary>
    private int TakeMoreAvailable(byte* p, int room)
    {
        int taken = 0;
        while (room - taken > 0 && !_closing)
        {
            nint n = LibC.read(Fd, p + taken, (nuint)(room - taken));
            if (n > 0)
            {
                taken += (int)n;
                continue;
            }

            if (n < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR)
                continue;
            break; // EAGAIN, or EIO/0 which the next Read reports as the end.
        }

        return taken;
    }

    /// <summary>Writes all of <paramref name="data"/>, waiting while the terminal's input queue is full.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (!TryAddRef())
            throw new ObjectDisposedException(nameof(PtyProcess));
        try
        {
            fixed (byte* start = data)
            {
                int written = 0;
                while (written < data.Length)
                {
                    ObjectDisposedException.ThrowIf(_closing, typeof(PtyProcess));
                    nint n = LibC.write(Fd, start + written, (nuint)(data.Length - written));
                    if (n >= 0)
                    {
                        written += (int)n;
                        continue;
                    }

                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                        continue;
                    // Once the child side has closed, the master still accepts (and drops) a few KB, then
                    // reports EAGAIN forever while poll reports POLLOUT|POLLHUP: treat the hangup as the end.
                    if (errno == LibC.EAGAIN && (WaitFor(LibC.POLLOUT) & LibC.POLLHUP) == 0)
                        continue;
                    if (errno == LibC.EAGAIN)
                        errno = LibC.EIO;

                    throw new PtyException(errno, errno == LibC.EIO
                        ? "write to the pseudo-terminal failed, the terminal has closed"
                        : "write to the pseudo-terminal failed");
                }
            }
        }
        finally
        {
            DangerousRelease();
        }
    }

    public void SetWindowSize(ushort cols, ushort rows)
    {
        var size = new LibC.WinSize { Cols = cols, Rows = rows };
        if (!TryAddRef())
            throw new ObjectDisposedException(nameof(PtyProcess));
        try
        {
            if (LibC.ioctl(Fd, LibC.TIOCSWINSZ, &size) != 0)
                throw new PtyException(Marshal.GetLastPInvokeError(), "cannot set the window size");
        }
        finally
        {
            DangerousRelease();
        }
    }

    /// <summary>The terminal's foreground process group, or null when it has none (or is closed).</summary>
    public int? ForegroundProcessGroup()
    {
        if (!TryAddRef())
            return null;
        try
        {
            int pgrp = LibC.tcgetpgrp(Fd);
            return pgrp > 0 ? pgrp : null;
        }
        finally
        {
            DangerousRelease();
        }
    }

    /// <summary>Wakes every blocked operation, then lets the handle close once they have returned.</summary>
    public void Shutdown()
    {
        if (!TryAddRef())
            return;
        try
        {
            _closing = true;
            ulong one = 1;
            LibC.write(_wakeFd, (byte*)&one, sizeof(ulong));
        }
        finally
        {
            DangerousRelease();
        }

        Dispose();
    }

    protected override bool ReleaseHandle()
    {
        LibC.close(_wakeFd);
        return LibC.close((int)handle) == 0;
    }

    private bool TryAddRef()
    {
        bool added = false;
        try
        {
            DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
        }

        return added;
    }

    /// <summary>Blocks until the master is ready for <paramref name="events"/> or the terminal is closing; returns the master's revents.</summary>
    private short WaitFor(short events)
    {
        LibC.PollFd* fds = stackalloc LibC.PollFd[2];
        fds[0] = new LibC.PollFd { Fd = Fd, Events = events };
        fds[1] = new LibC.PollFd { Fd = _wakeFd, Events = LibC.POLLIN };
        if (LibC.poll(fds, 2, -1) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
                throw new PtyException(errno, "poll on the pseudo-terminal failed");
        }

        return fds[0].REvents;
    }
}
