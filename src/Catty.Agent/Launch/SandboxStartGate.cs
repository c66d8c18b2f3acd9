using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Catty.Agent.Launch;

/// <summary>
/// The two pipes that let the agent prepare a sandbox's namespaces before its program runs: bubblewrap writes
/// the sandbox's host pid to <c>--info-fd</c> (the child's 5) and waits on <c>--block-fd</c> (the child's 6)
/// until <see cref="Open"/> writes a byte. Closing without a byte would also let it go on, so a sandbox whose
/// preparation failed is killed first (see <see cref="RunningProgram"/>).
/// </summary>
internal sealed partial class SandboxStartGate : IDisposable
{
    /// <summary>
    /// Descriptor numbers bubblewrap is told about; <see cref="ChildHandles"/> land on them in this order, after
    /// <see cref="BubblewrapCommand.ArgsFd"/> and <see cref="BubblewrapCommand.SeccompFd"/>.
    /// </summary>
    public const int InfoFd = BubblewrapCommand.SeccompFd + 1, BlockFd = BubblewrapCommand.SeccompFd + 2;

    private const int OCloexec = 0x80000;

    private int _infoRead = -1, _infoWrite = -1, _blockRead = -1, _blockWrite = -1;

    private SandboxStartGate()
    {
    }

    public static SandboxStartGate Create()
    {
        var gate = new SandboxStartGate();
        try
        {
            (gate._infoRead, gate._infoWrite) = NewPipe();
            (gate._blockRead, gate._blockWrite) = NewPipe();
            return gate;
        }
        catch
        {
            gate.Dispose();
            throw;
        }
    }

    /// <summary>This process's ends that the child gets as <see cref="InfoFd"/> and <see cref="BlockFd"/> (still owned here).</summary>
    public IReadOnlyList<SafeFileHandle> ChildHandles => [new SafeFileHandle(_infoWrite, ownsHandle: false), new SafeFileHandle(_blockRead, ownsHandle: false)];

    /// <summary>
    /// Drops our copies of the child's ends (so that the info pipe ends when bubblewrap closes it or dies), then
    /// reads the sandbox's pid; null when bubblewrap ended without saying.
    /// </summary>
    public int? ReadChildPid()
    {
        CloseFd(ref _infoWrite);
        CloseFd(ref _blockRead);
        var text = new List<byte>();
        var buffer = new byte[4096];
        while (text.Count < 64 * 1024)
        {
            var n = ReadFd(_infoRead, buffer);
            if (n <= 0)
                break;
            text.AddRange(buffer.AsSpan(0, n));
            if (ChildPidIn(text.ToArray()) is { } pid)
                return pid;
        }
        return ChildPidIn(text.ToArray());
    }

    /// <summary>Lets the sandboxed program start.</summary>
    public bool Open()
    {
        var ok = WriteFd(_blockWrite, "x"u8) == 1;
        CloseFd(ref _blockWrite);
        return ok;
    }

    /// <summary>The <c>child-pid</c> of bubblewrap's info JSON, once the object is complete.</summary>
    internal static int? ChildPidIn(byte[] json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.TryGetProperty("child-pid", out var pid) && pid.TryGetInt32(out var value) && value > 1 ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        CloseFd(ref _infoRead);
        CloseFd(ref _infoWrite);
        CloseFd(ref _blockRead);
        CloseFd(ref _blockWrite);
    }

    private static unsafe (int Read, int Write) NewPipe()
    {
        int* fds = stackalloc int[2];
        if (Pipe2(fds, OCloexec) != 0)
            throw new IOException($"pipe2 failed: errno {Marshal.GetLastPInvokeError()}");
        return (fds[0], fds[1]);
    }

    private static unsafe int ReadFd(int fd, byte[] buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = (int)Read(fd, p, (nuint)buffer.Length);
                if (n >= 0 || Marshal.GetLastPInvokeError() != EIntr)
                    return n;
            }
        }
    }

    private static unsafe int WriteFd(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                var n = (int)Write(fd, p, (nuint)data.Length);
                if (n >= 0 || Marshal.GetLastPInvokeError() != EIntr)
                    return n;
            }
        }
    }

    private static void CloseFd(ref int fd)
    {
        if (fd >= 0)
            _ = Close(fd);
        fd = -1;
    }

    private const int EIntr = 4;

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static unsafe partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
