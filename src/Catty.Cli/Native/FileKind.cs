using System.Runtime.InteropServices;

namespace Catty.Cli.Native;

/// <summary>What a path names, without following a link in its last component.</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
}

/// <summary>
/// lstat for the CLI: .NET reports a FIFO, a socket and a device all as "Normal" files, and the sync-back
/// and upload rules must tell them apart. Linux uses statx (one layout on every architecture); macOS uses
/// lstat, whose st_mode sits at offset 4.
/// </summary>
internal static partial class FileStatus
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;
    private const int EINTR = 4;

    /// <summary>The kind of <paramref name="path"/> and its full st_mode (type and permission bits); Missing when it does not exist.</summary>
    /// <exception cref="IOException">lstat failed for another reason than "does not exist".</exception>
    public static (FileKind Kind, int Mode) Of(string path)
    {
        int mode;
        int rc;
        int errno;
        do
        {
            mode = 0;
            if (OperatingSystem.IsLinux())
            {
                rc = Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxMode, out var buffer);
                mode = buffer.Mode;
            }
            else
            {
                rc = LStat(path, out var buffer);
                mode = buffer.Mode;
            }

            errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        while (rc != 0 && errno == EINTR);

        if (rc != 0)
        {
            if (errno is ENOENT or ENOTDIR)
            {
                return (FileKind.Missing, 0);
            }

            throw new IOException($"cannot inspect '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        return (KindOf(mode), mode);
    }

    public static FileKind KindOf(int mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        _ => FileKind.Regular,
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, out MacStatBuffer buffer);

    /// <summary>Linux <c>struct statx</c>; only stx_mode is read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)] public ushort Mode;
    }

    /// <summary>macOS 64-bit <c>struct stat</c>; only st_mode is read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct MacStatBuffer
    {
        [FieldOffset(4)] public ushort Mode;
    }
}
