namespace Catty.Agent.Workspace.Native;

/// <summary>What kind of thing a path names, from the S_IFMT bits of its mode.</summary>
internal enum FileKind
{
    Other,
    File,
    Directory,
    Symlink,
}

/// <summary>The parts of a file's status that tell whether its content may have changed.</summary>
/// <param name="Mode">Full st_mode (type and permission bits).</param>
/// <param name="MtimeNs">Modification time, nanoseconds since the Unix epoch.</param>
/// <param name="CtimeNs">Status change time, nanoseconds since the Unix epoch; no user call can set it back.</param>
internal readonly record struct FileStatus(int Mode, long Size, long MtimeNs, long CtimeNs, ulong Inode, ulong Device)
{
    public const int TypeMask = 0xF000; // S_IFMT
    public const int TypeFile = 0x8000; // S_IFREG
    public const int TypeDirectory = 0x4000; // S_IFDIR
    public const int TypeSymlink = 0xA000; // S_IFLNK
    public const int PermissionMask = 0x1FF; // rwx for user, group and other; no setuid, setgid or sticky

    public FileKind Kind => KindOf(Mode);

    public int Permissions => Mode & PermissionMask;

    /// <summary>Whether <paramref name="other"/> describes the same content by every cheap measure.</summary>
    public bool SameContentAs(FileStatus other) =>
        Size == other.Size && MtimeNs == other.MtimeNs && CtimeNs == other.CtimeNs
        && Inode == other.Inode && Device == other.Device;

    public static FileKind KindOf(int mode) => (mode & TypeMask) switch
    {
        TypeFile => FileKind.File,
        TypeDirectory => FileKind.Directory,
        TypeSymlink => FileKind.Symlink,
        _ => FileKind.Other,
    };

    internal static FileStatus From(in FsNative.StatxBuffer b) => new(
        b.Mode,
        (long)b.Size,
        (b.MtimeSec * 1_000_000_000L) + b.MtimeNsec,
        (b.CtimeSec * 1_000_000_000L) + b.CtimeNsec,
        b.Inode,
        ((ulong)b.DevMajor << 32) | b.DevMinor);
}
