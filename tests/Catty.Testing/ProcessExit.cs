using System.Runtime.InteropServices;

namespace Catty.Testing;

/// <summary>
/// Waits for any process to exit, child or not, with a pidfd (Linux 5.3+): exact and immediate, where
/// Process.WaitForExit on a process that is not our child can only poll.
/// </summary>
public static partial class ProcessExit
{
    private const long SysPidfdOpen = 434;
    private const short PollIn = 1;

    /// <summary>True once <paramref name="pid"/> has exited (or never existed); false if it still runs after <paramref name="timeout"/>.</summary>
    public static bool WaitFor(int pid, TimeSpan timeout)
    {
        var pidfd = PidfdOpen(SysPidfdOpen, pid, 0);
        if (pidfd < 0)
        {
            return true;
        }

        try
        {
            var poll = new PollFd { Fd = pidfd, Events = PollIn };
            return Poll(ref poll, 1, (int)timeout.TotalMilliseconds) > 0;
        }
        finally
        {
            _ = Close(pidfd);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial int PidfdOpen(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, ulong count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
