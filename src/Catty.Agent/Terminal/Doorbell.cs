using System.Runtime.InteropServices;

namespace Catty.Agent.Terminal;

/// <summary>
/// Wakes a dedicated thread from another: a Linux eventfd, read to wait and written to ring. A ring before
/// the wait is kept (the count stays set), so none is lost between a check and the wait. Its fd can also be
/// polled beside others, readable once rung.
/// </summary>
/// <remarks>
/// Chosen over Monitor.Wait and the thread pool for the terminal's hot paths: a wait here is one read(2)
/// that the kernel wakes directly, where the runtime's waits on Linux take a process-wide lock and spin with
/// sched_yield under contention, which on a busy two-core machine costs more than the work itself.
/// Every call holds a reference on the handle, so disposing while another thread waits or rings cannot
/// close (and let the kernel reuse) the fd under it.
/// </remarks>
internal sealed class Doorbell : SafeHandle
{
    private const int EfdCloExec = 0x80000;
    private const int EIntr = 4;

    public Doorbell()
        : base(-1, ownsHandle: true)
    {
        var fd = EventFd(0, EfdCloExec);
        if (fd < 0)
            throw new IOException($"eventfd failed (errno {Marshal.GetLastPInvokeError()})");
        SetHandle(fd);
    }

    public override bool IsInvalid => handle < 0;

    public void Ring()
    {
        var added = false;
        try
        {
            DangerousAddRef(ref added);
            ulong one = 1;
            while (Write((int)handle, ref one, sizeof(ulong)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }
        }
        finally
        {
            if (added)
                DangerousRelease();
        }
    }

    /// <summary>Blocks until the bell has been rung since the last wait returned.</summary>
    public void Wait()
    {
        var added = false;
        try
        {
            DangerousAddRef(ref added);
            ulong count = 0;
            while (Read((int)handle, ref count, sizeof(ulong)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }
        }
        finally
        {
            if (added)
                DangerousRelease();
        }
    }

    protected override bool ReleaseHandle() => Close((int)handle) == 0;

    [DllImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static extern int EventFd(uint initial, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint Read(int fd, ref ulong value, nint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(int fd, ref ulong value, nint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
