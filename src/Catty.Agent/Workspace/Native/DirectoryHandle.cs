using System.Runtime.InteropServices;

namespace Catty.Agent.Workspace.Native;

/// <summary>An open directory: a descriptor to resolve children against and a stream of its names.</summary>
internal sealed class DirectoryHandle : IDisposable
{
    // struct dirent on 64-bit Linux glibc: d_ino (8), d_off (8), d_reclen (2), d_type (1), then d_name.
    private const int NameOffset = 19;

    private IntPtr _dir;

    private DirectoryHandle(int fd, IntPtr dir)
    {
        Fd = fd;
        _dir = dir;
    }

    /// <summary>The descriptor, valid until disposal; use it as the dirfd of *at() calls.</summary>
    public int Fd { get; }

    /// <summary>Opens <paramref name="name"/> relative to <paramref name="parentFd"/>; null when it is gone, not a folder, a link, or unreadable.</summary>
    public static DirectoryHandle? OpenAt(int parentFd, string name, int flags)
    {
        var fd = FsNative.OpenAt(parentFd, name, flags, out _);
        if (fd < 0)
        {
            return null;
        }

        var dir = FsNative.FdOpenDir(fd);
        if (dir == IntPtr.Zero)
        {
            FsNative.Close(fd);
            return null;
        }

        return new DirectoryHandle(fd, dir);
    }

    /// <summary>Every name in the directory except '.' and '..', in the order the filesystem returns them.</summary>
    public List<string> ReadNames()
    {
        var names = new List<string>();
        while (true)
        {
            Marshal.SetLastPInvokeError(0);
            var entry = FsNative.ReadDir(_dir);
            if (entry == IntPtr.Zero)
            {
                // End of the stream and a read error look alike; a folder that vanished mid-read simply
                // yields what was read, which the next scan corrects.
                return names;
            }

            var name = Marshal.PtrToStringUTF8(entry + NameOffset);
            if (name is not (null or "." or ".."))
            {
                names.Add(name);
            }
        }
    }

    public void Dispose()
    {
        if (_dir != IntPtr.Zero)
        {
            FsNative.CloseDir(_dir);
            _dir = IntPtr.Zero;
        }
    }
}
