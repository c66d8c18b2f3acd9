using System.Runtime.InteropServices;

namespace Catty.Agent.Hosting;

/// <summary>
/// Points fds 0, 1 and 2 at /dev/null once the launch spec has been read. The agent outlives the server
/// that started it: a pipe it inherited could break (EPIPE) or keep that server's reader waiting for EOF.
/// </summary>
internal static partial class StandardStreams
{
    public static void Detach()
    {
        using var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        var fd = (int)devNull.DangerousGetHandle();
        for (var target = 0; target <= 2; target++)
            _ = Dup2(fd, target);
    }

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);
}
