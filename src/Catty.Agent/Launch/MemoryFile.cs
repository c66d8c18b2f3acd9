using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Catty.Agent.Launch;

/// <summary>
/// An anonymous file in memory (<c>memfd_create</c>) holding bytes a child reads from an inherited descriptor:
/// nothing on disk, no name any other process can open, and no size limit as a pipe written before the
/// child starts would have.
/// </summary>
internal static partial class MemoryFile
{
    private const uint MfdCloexec = 1;

    /// <summary>A descriptor (close-on-exec, offset 0) of a new memory file holding <paramref name="content"/>.</summary>
    public static SafeFileHandle Create(string name, ReadOnlySpan<byte> content)
    {
        var fd = MemfdCreate(name, MfdCloexec);
        if (fd < 0)
            throw new IOException($"memfd_create failed (errno {Marshal.GetLastPInvokeError()})");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            // pwrite leaves the file offset at 0, where the child starts reading.
            RandomAccess.Write(handle, content, fileOffset: 0);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    [LibraryImport("libc", EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MemfdCreate(string name, uint flags);
}
