using System.Runtime.InteropServices;

namespace Catty.Agent.Workspace.Native;

/// <summary>
/// The few *at() system calls that let the agent walk a workspace it does not trust without following
/// links: every step is relative to an open directory and refuses a link in the last component.
/// </summary>
/// <remarks>
/// Classic <c>DllImport</c> with blittable arguments keeps the agent project free of unsafe code.
/// Flag values are those of Linux; O_DIRECTORY and O_NOFOLLOW differ between x86-64 and arm64.
/// </remarks>
internal static class FsNative
{
    private const string Lib = "libc";

    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxBasicStats = 0x7ff;

    public const int ENOENT = 2;
    public const int EINTR = 4;

    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;

    private static readonly bool s_arm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    private static readonly int s_oDirectory = s_arm ? 0x4000 : 0x10000;
    private static readonly int s_oNoFollow = s_arm ? 0x8000 : 0x20000;

    /// <summary>Flags to open a trusted root directory, which may itself be reached through a link.</summary>
    public static int OpenRootFlags => ORdOnly | s_oDirectory | OCloExec;

    /// <summary>Flags to open a directory for walking; a link in the last component fails with ELOOP or ENOTDIR.</summary>
    public static int OpenDirectoryFlags => ORdOnly | s_oDirectory | s_oNoFollow | OCloExec;

    /// <summary>
    /// Flags to open a file for reading: never through a link, and never blocking on a FIFO that was swapped in
    /// after the stat (O_NONBLOCK does nothing to regular files).
    /// </summary>
    public static int OpenFileFlags => ORdOnly | s_oNoFollow | ONonBlock | OCloExec;

    [DllImport(Lib, EntryPoint = "statx", SetLastError = true)]
    private static extern int StatxRaw(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out StatxBuffer buffer);

    [DllImport(Lib, EntryPoint = "openat", SetLastError = true)]
    private static extern int OpenAtRaw(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport(Lib, EntryPoint = "chmod", SetLastError = true)]
    private static extern int ChmodRaw([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    [DllImport(Lib, EntryPoint = "fdopendir", SetLastError = true)]
    public static extern IntPtr FdOpenDir(int fd);

    [DllImport(Lib, EntryPoint = "readdir", SetLastError = true)]
    public static extern IntPtr ReadDir(IntPtr dir);

    [DllImport(Lib, EntryPoint = "closedir", SetLastError = true)]
    public static extern int CloseDir(IntPtr dir);

    [DllImport(Lib, EntryPoint = "readlinkat", SetLastError = true)]
    private static extern nint ReadLinkAtRaw(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer, nint size);

    /// <summary>lstat-like status of <paramref name="path"/> relative to <paramref name="dirFd"/>; false with errno on failure.</summary>
    public static bool TryStatNoFollow(int dirFd, string path, out FileStatus status, out int errno)
    {
        int rc;
        StatxBuffer buffer;
        do
        {
            rc = StatxRaw(dirFd, path, AtSymlinkNoFollow, StatxBasicStats, out buffer);
            errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        while (rc != 0 && errno == EINTR);
        status = rc == 0 ? FileStatus.From(buffer) : default;
        return rc == 0;
    }

    /// <summary>fstat of an open descriptor.</summary>
    public static bool TryStatFd(int fd, out FileStatus status)
    {
        var rc = StatxRaw(fd, string.Empty, AtEmptyPath | AtSymlinkNoFollow, StatxBasicStats, out var buffer);
        status = rc == 0 ? FileStatus.From(buffer) : default;
        return rc == 0;
    }

    /// <summary>openat(2), retried on EINTR; -1 with errno on failure.</summary>
    public static int OpenAt(int dirFd, string path, int flags, out int errno)
    {
        int fd;
        do
        {
            fd = OpenAtRaw(dirFd, path, flags, 0);
            errno = fd >= 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        while (fd < 0 && errno == EINTR);
        return fd;
    }

    /// <summary>chmod(2); the agent runs on Linux only, and this keeps platform checks out of its callers.</summary>
    /// <exception cref="IOException">The mode could not be set.</exception>
    public static void Chmod(string path, int mode)
    {
        if (ChmodRaw(path, mode) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"chmod '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    /// <summary>The target of the link <paramref name="name"/> in <paramref name="dirFd"/>, or null if it is not a readable link.</summary>
    public static string? ReadLinkAt(int dirFd, string name)
    {
        var buffer = new byte[4096];
        var length = ReadLinkAtRaw(dirFd, name, buffer, buffer.Length);
        return length < 0 || length >= buffer.Length ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    /// <summary>The raw <c>struct statx</c>; only the fields the agent reads are named.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatxBuffer
    {
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long CtimeSec;
        [FieldOffset(104)] public uint CtimeNsec;
        [FieldOffset(112)] public long MtimeSec;
        [FieldOffset(120)] public uint MtimeNsec;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }
}
