using System.Runtime.InteropServices;

namespace Catty.Cli.Native;

/// <summary>realpath(3): a folder's one canonical path, every link resolved, so two spellings of a folder compare equal.</summary>
internal static partial class RealPath
{
    /// <summary>The canonical path of <paramref name="path"/>, or null when it does not exist or cannot be resolved.</summary>
    public static string? Of(string path)
    {
        var resolved = Resolve(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr Resolve(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}
