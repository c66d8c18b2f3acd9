using System.Runtime.InteropServices;
using Catty.Agent.Workspace.Native;

namespace Catty.Agent.Uploads;

/// <summary>
/// The *at() calls that keep uploads inside the upload folder the agent opened (never through a link
/// the program may plant later): create a temp file, rename it without replacing, remove it.
/// </summary>
internal static class UploadNative
{
    private const string Lib = "libc";
    private const int OWrOnly = 0x1;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const uint RenameNoReplaceFlag = 1;

    public const int EEXIST = 17;

    [DllImport(Lib, EntryPoint = "openat", SetLastError = true)]
    private static extern int OpenAtRaw(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport(Lib, EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2Raw(int oldDirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);

    [DllImport(Lib, EntryPoint = "unlinkat", SetLastError = true)]
    private static extern int UnlinkAtRaw(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    /// <summary>Creates a new file (never an existing one, never through a link) with mode 0644; -1 with errno on failure.</summary>
    public static int CreateNew(int dirFd, string name, out int errno)
    {
        int fd;
        do
        {
            fd = OpenAtRaw(dirFd, name, FsNative.OpenFileFlags | OWrOnly | OCreat | OExcl, 420);
            errno = fd >= 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        while (fd < 0 && errno == FsNative.EINTR);
        return fd;
    }

    /// <summary>Renames within one folder, failing with EEXIST rather than replacing.</summary>
    public static bool RenameNoReplace(int dirFd, string from, string to, out int errno)
    {
        var rc = RenameAt2Raw(dirFd, from, dirFd, to, RenameNoReplaceFlag);
        errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        return rc == 0;
    }

    public static void Unlink(int dirFd, string name) => UnlinkAtRaw(dirFd, name, 0);
}
