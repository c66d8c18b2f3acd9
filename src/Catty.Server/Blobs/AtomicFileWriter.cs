using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Catty.Server.Blobs;

/// <summary>
/// Replaces a file so that a crash, a full disk or a failing source stream never leaves it damaged:
/// the bytes go to a temporary file in the same folder, which is flushed to disk and then renamed over
/// the target (atomic on POSIX), and the folder itself is flushed so the rename survives a power loss.
/// </summary>
internal static class AtomicFileWriter
{
    private const string TempSuffix = ".tmp";

    // Owner-only: snapshots hold the contents of users' workspaces.
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, creating its folders.</summary>
    /// <param name="durable">
    /// False leaves the file and the rename in the operating system's cache for a later
    /// <see cref="FlushFileSystem"/>: readers still see the old file or the whole new one, but a power loss
    /// before the flush may lose the new one or leave it cut short.
    /// </param>
    public static async Task WriteAsync(string path, Stream content, bool durable, CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(path) ?? throw new ArgumentException("The path has no folder.", nameof(path));
        CreateFolders(folder);

        // The leading '.' keeps temporary names out of the key space (see BlobKey).
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}{TempSuffix}");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = FileMode;
            }

            await using (var file = new FileStream(temp, options))
            {
                await content.CopyToAsync(file, 128 * 1024, ct).ConfigureAwait(false);
                if (durable)
                {
                    file.Flush(flushToDisk: true);
                }
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        if (durable)
        {
            Flush(folder);
        }
    }

    /// <summary>
    /// Makes everything written on the file system that holds <paramref name="folder"/> durable with one
    /// <c>syncfs</c>, which commits the journal once where a flush per file would commit it once each.
    /// </summary>
    public static void FlushFileSystem(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        WithOpen(folder, fd => NativeMethods.syncfs(fd), "flush the file system of");
    }

    /// <summary>Whether <paramref name="fileName"/> names a temporary file left by <see cref="WriteAsync"/>.</summary>
    public static bool IsTempFile(string fileName) =>
        fileName.StartsWith('.') && fileName.EndsWith(TempSuffix, StringComparison.Ordinal);

    /// <summary>
    /// Removes the temporary files that writes interrupted by a crash left anywhere under
    /// <paramref name="root"/>; call it only while nothing writes there. Returns how many were removed.
    /// </summary>
    public static int DeleteTempFiles(string root)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*" + TempSuffix, options))
        {
            if (IsTempFile(Path.GetFileName(file)) && TryDelete(file))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Creates <paramref name="folder"/> and its missing parents, flushing each new entry to disk.</summary>
    public static void CreateFolders(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        var parent = Path.GetDirectoryName(folder);
        if (parent is not null)
        {
            CreateFolders(parent);
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, FolderMode);
            }
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another writer created it first.
        }

        if (parent is not null)
        {
            Flush(parent);
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Flushes a file or a folder (its entries) to disk; a path that is gone by now is not an error, as
    /// whatever replaced or removed it was flushed by its own writer.
    /// </summary>
    // .NET refuses to open a directory as a file, so fsync(2) on a folder goes through libc.
    public static void Flush(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        WithOpen(path, fd => NativeMethods.fsync(fd), "flush");
    }

    private static void WithOpen(string path, Func<int, int> call, string doing)
    {
        var fd = NativeMethods.open(path, NativeMethods.O_RDONLY | NativeMethods.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == NativeMethods.ENOENT)
            {
                return;
            }

            throw new IOException($"Cannot open '{path}' to {doing} it (errno {errno}).");
        }

        try
        {
            if (call(fd) != 0)
            {
                throw new IOException($"Cannot {doing} '{path}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private static class NativeMethods
    {
        // Linux values; x86-64 and arm64 agree on these two (they differ on O_DIRECTORY, so it is left out).
        public const int O_RDONLY = 0;
        public const int O_CLOEXEC = 0x80000;
        public const int ENOENT = 2;

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for the whole server.
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int open(string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int syncfs(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
#pragma warning restore SYSLIB1054
    }
}
