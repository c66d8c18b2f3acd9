using System.Runtime.InteropServices;
using Catty.Pty.Native;

namespace Catty.Pty;

/// <summary>
/// Waits for one child on its own thread and reaps it with <c>waitpid(pid)</c>, never <c>waitpid(-1)</c>,
/// which would steal the children of <see cref="System.Diagnostics.Process"/>.
/// </summary>
/// <remarks>
/// The thread first waits with <c>WNOWAIT</c>, leaving the child a zombie, and reaps it under the same lock
/// that <see cref="Kill"/> takes: a pid that has been reaped (and may be reused) is never signalled.
/// </remarks>
internal sealed unsafe class ChildReaper
{
    private readonly int _pid;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<PtyExitStatus> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PtyExitStatus? _status;

    public ChildReaper(int pid)
    {
        _pid = pid;
        var thread = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "pty-reaper" };
        thread.Start();
    }

    public Task<PtyExitStatus> Exited => _exited.Task;

    public PtyExitStatus? Status
    {
        get
        {
            lock (_gate)
                return _status;
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the child unless it has already been reaped.</summary>
    public void Kill(int signal)
    {
        lock (_gate)
        {
            if (_status is not null)
                return;
            if (LibC.kill(_pid, signal) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != LibC.ESRCH)
                    throw new PtyException(errno, $"cannot send signal {signal} to process {_pid}");
            }
        }
    }

    private void Run()
    {
        byte* siginfo = stackalloc byte[LibC.OpaqueSize];
        while (LibC.waitid(LibC.P_PID, (uint)_pid, siginfo, LibC.WEXITED | LibC.WNOWAIT) != 0
               && Marshal.GetLastPInvokeError() == LibC.EINTR)
        {
        }

        PtyExitStatus status;
        lock (_gate)
        {
            int raw;
            int reaped;
            do
            {
                reaped = LibC.waitpid(_pid, &raw, LibC.WNOHANG);
            }
            while (reaped < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);

            // Anything else means someone else reaped our child (ECHILD): the status is lost.
            status = reaped == _pid ? PtyExitStatus.FromWaitStatus(raw) : new PtyExitStatus(null, null);
            _status = status;
        }

        _exited.TrySetResult(status);
    }
}
