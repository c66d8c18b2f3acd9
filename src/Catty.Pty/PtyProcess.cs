using Catty.Pty.Native;

namespace Catty.Pty;

/// <summary>
/// A child process running on a Linux pseudo-terminal. Output is read with <see cref="Read"/> (typically from
/// one dedicated thread) while other threads call <see cref="Write"/>, <see cref="Resize"/> and the signal methods.
/// </summary>
public sealed class PtyProcess : IDisposable
{
    private readonly PtyMaster _master;
    private readonly ChildReaper _reaper;

    private PtyProcess(PtyMaster master, int pid)
    {
        _master = master;
        Pid = pid;
        _reaper = new ChildReaper(pid);
    }

    /// <summary>The child's process id; it is also its session id and process group id.</summary>
    public int Pid { get; }

    /// <summary>How the child ended, or <see langword="null"/> while it is still running.</summary>
    public PtyExitStatus? ExitStatus => _reaper.Status;

    /// <summary>The terminal's foreground process group (the job that gets Ctrl-C), or <see langword="null"/> when there is none.</summary>
    public int? ForegroundProcessGroup => _master.ForegroundProcessGroup();

    /// <summary>Starts <see cref="PtyStartOptions.Argv"/> as the session leader of a new pseudo-terminal.</summary>
    /// <param name="options">What to run, where, and the initial window size.</param>
    /// <returns>The running process; dispose it to close the terminal.</returns>
    /// <exception cref="ArgumentException">The options are malformed (empty argv, NUL characters, '=' in a variable name, a size out of range).</exception>
    /// <exception cref="PtyException">The working directory does not exist, the command was not found or could not be executed
    /// (<see cref="PtyException.Errno"/> is e.g. ENOENT or EACCES), or no terminal could be allocated.</exception>
    public static PtyProcess Start(PtyStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PtyStartValidation.Validate(options);

        var master = PtyMaster.Open((ushort)options.Cols, (ushort)options.Rows, out string slavePath);
        try
        {
            return new PtyProcess(master, PtySpawner.Spawn(options, slavePath));
        }
        catch
        {
            master.Shutdown();
            throw;
        }
    }

    /// <summary>
    /// Blocks until output is available and copies it into <paramref name="buffer"/>. Safe to call from one
    /// reader thread while other threads write, resize or signal.
    /// </summary>
    /// <param name="buffer">Where to put the bytes; must not be empty. Output is raw bytes: a UTF-8 character may be split across reads.</param>
    /// <returns>The number of bytes read, or 0 at the end of output (every process has closed the terminal) or after <see cref="Dispose"/>.</returns>
    /// <exception cref="PtyException">The read failed for a reason other than the end of output.</exception>
    public int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            throw new ArgumentException("The buffer must not be empty: a zero-length read could not be told from the end of output.", nameof(buffer));
        return _master.Read(buffer);
    }

    /// <summary>
    /// Writes all of <paramref name="data"/> to the terminal's input, waiting while the input queue is full.
    /// After every process has closed the terminal, the kernel silently drops the first few KB written.
    /// </summary>
    /// <param name="data">The bytes to send, e.g. typed text, or 0x03 for Ctrl-C.</param>
    /// <exception cref="PtyException">The terminal has closed and its input queue is full (errno 5, EIO), or the write failed.</exception>
    /// <exception cref="ObjectDisposedException">The process was disposed before or during the write.</exception>
    public void Write(ReadOnlySpan<byte> data) => _master.Write(data);

    /// <summary>Sets the window size (TIOCSWINSZ); the foreground job receives SIGWINCH when it changes.</summary>
    /// <param name="cols">Width in columns, 1 to 65535.</param>
    /// <param name="rows">Height in rows, 1 to 65535.</param>
    public void Resize(int cols, int rows)
    {
        PtyStartValidation.ValidateSize(cols, rows);
        _master.SetWindowSize((ushort)cols, (ushort)rows);
    }

    /// <summary>Sends a signal to the child process (<c>kill(Pid, signal)</c>); does nothing once the child has been reaped.</summary>
    /// <param name="signal">A signal number, e.g. <see cref="PtySignals.SIGTERM"/>.</param>
    /// <exception cref="PtyException">The signal number is invalid (EINVAL) or not permitted.</exception>
    public void Signal(int signal) => _reaper.Kill(signal);

    /// <summary>Sends a signal to the terminal's foreground process group, as the terminal itself does for Ctrl-C.</summary>
    /// <param name="signal">A signal number, e.g. <see cref="PtySignals.SIGINT"/>.</param>
    /// <returns><see langword="false"/> when the terminal has no foreground process group or the group is gone.</returns>
    public bool SignalForeground(int signal)
    {
        if (ForegroundProcessGroup is not int pgrp)
            return false;
        if (LibC.kill(-pgrp, signal) == 0)
            return true;
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return errno == LibC.ESRCH ? false : throw new PtyException(errno, $"cannot send signal {signal} to process group {pgrp}");
    }

    /// <summary>Completes when the child has exited and been reaped, whether or not its output has been read.</summary>
    /// <param name="ct">Cancels the wait only; the child keeps running.</param>
    /// <returns>The exit code or the signal that ended the child.</returns>
    public Task<PtyExitStatus> WaitForExitAsync(CancellationToken ct = default) => _reaper.Exited.WaitAsync(ct);

    /// <summary>
    /// Closes the terminal: a blocked <see cref="Read"/> returns 0 and a blocked <see cref="Write"/> throws.
    /// The child is not killed (it sees a hangup if it still uses the terminal) and is still reaped.
    /// </summary>
    public void Dispose() => _master.Shutdown();
}
