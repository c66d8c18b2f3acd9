using System.Runtime.InteropServices;

namespace Catty.Pty;

/// <summary>A system call behind the pseudo-terminal failed; <see cref="Errno"/> says why.</summary>
public sealed class PtyException : Exception
{
    /// <summary>Creates an exception for a failed call, with the C library's text for <paramref name="errno"/> appended.</summary>
    /// <param name="errno">The errno value the call reported.</param>
    /// <param name="message">What was being attempted, e.g. "cannot start 'vim'".</param>
    public PtyException(int errno, string message)
        : base($"{message}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Errno = errno;
    }

    /// <summary>The errno value of the failed call (e.g. 2, ENOENT, when a command is not found).</summary>
    public int Errno { get; }
}
