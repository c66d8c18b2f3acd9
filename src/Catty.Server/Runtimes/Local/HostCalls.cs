using System.Runtime.InteropServices;

namespace Catty.Server.Runtimes.Local;

/// <summary>The few libc calls .NET has no API for: giving a folder to a session's uid, signalling a non-child.</summary>
internal static partial class HostCalls
{
    private const int SigKill = 9;

    /// <summary>lchown(2): never follows a link, so a folder swapped for one cannot redirect it.</summary>
    public static bool Chown(string path, int uid, int gid) => lchown(path, uid, gid) == 0;

    public static void Kill(int pid)
    {
        if (pid > 1 && pid != Environment.ProcessId)
        {
            _ = kill(pid, SigKill);
        }
    }

    /// <summary>This process's real uid and gid, from /proc (no API in .NET).</summary>
    public static (int Uid, int Gid) Identity()
    {
        int uid = -1, gid = -1;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                uid = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Gid:", StringComparison.Ordinal))
            {
                gid = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return (uid, gid);
    }

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int lchown(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
