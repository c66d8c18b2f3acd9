using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Catty.Cli.Native;

/// <summary>
/// An exclusive lock between catty processes: flock(2) on a file, held until disposed (or the process dies).
/// Opened through libc rather than FileStream, because .NET takes its own non-blocking flock on every file it
/// opens and throws when another process holds one, where a waiting lock is what is wanted here. The lock is
/// held only around HTTP requests, never while a child process is started, so the descriptor need not be
/// close-on-exec (fcntl is variadic, which a plain P/Invoke cannot call portably).
/// </summary>
internal sealed partial class FileLock : IDisposable
{
    private const int ReadOnly = 0;
    private const int LockExclusive = 2;
    private const int EINTR = 4;

    private readonly SafeFileHandle _handle;

    private FileLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>Waits until this process holds the lock on <paramref name="path"/>, creating the file (0600) if needed.</summary>
    public static async Task<FileLock> AcquireAsync(string path)
    {
        try
        {
            using (File.Open(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            // Made by another catty (which may hold it right now); that is the file to lock.
        }

        var fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path} to lock it (errno {Marshal.GetLastPInvokeError()}).");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            // flock blocks until the holder lets go; a thread of its own keeps that off the caller's.
            await Task.Factory.StartNew(() => Lock(fd, path), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return new FileLock(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Closing the descriptor releases the lock.</summary>
    public void Dispose() => _handle.Dispose();

    private static void Lock(int fd, string path)
    {
        while (Flock(fd, LockExclusive) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                throw new IOException($"cannot lock {path} (errno {errno}).");
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
