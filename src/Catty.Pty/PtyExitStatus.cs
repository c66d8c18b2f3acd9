namespace Catty.Pty;

/// <summary>How the child process ended: exactly one of <see cref="ExitCode"/> and <see cref="Signal"/> is set,
/// or neither when the status could not be collected (another part of the process reaped the child).</summary>
/// <param name="ExitCode">The code passed to <c>exit</c> (0 to 255), when the child exited normally.</param>
/// <param name="Signal">The number of the signal that killed the child, when it was killed.</param>
public readonly record struct PtyExitStatus(int? ExitCode, int? Signal)
{
    /// <summary>The name of <see cref="Signal"/> such as "SIGKILL", or <see langword="null"/> when not killed by a known signal.</summary>
    public string? SignalName => Signal is int signal ? PtySignals.Name(signal) : null;

    /// <summary>Decodes a <c>waitpid</c> status word.</summary>
    internal static PtyExitStatus FromWaitStatus(int status)
    {
        int termSignal = status & 0x7f;
        return termSignal == 0
            ? new PtyExitStatus((status >> 8) & 0xff, null)
            : new PtyExitStatus(null, termSignal);
    }
}
