using System.Globalization;
using System.Runtime.InteropServices;

namespace Catty.Agent.Launch;

/// <summary>One line of <c>/proc/PID/stat</c>, the fields the agent needs.</summary>
internal readonly record struct ProcessEntry(int Pid, string Command, char State, int ParentPid, int SessionId)
{
    public bool IsZombie => State is 'Z' or 'X';
}

/// <summary>
/// The program's whole process tree as seen from the host: everything in the program's session (the
/// program is a session leader, so its pid is the session id; background jobs in their own process
/// groups stay in it, and so does everything inside bubblewrap's pid namespace), plus descendants by
/// parent pid of anything in it, which catches children that called setsid. A daemon that forked twice
/// and lost its parent is found through <c>adoptedBy</c>: the agent is a child subreaper,
/// so such orphans become its children instead of init's.
/// </summary>
internal static partial class ProcessTree
{
    private const int PrSetChildSubreaper = 36;
    private const int WNoHang = 1;

    public static List<ProcessEntry> Collect(int rootPid, int? adoptedBy = null)
    {
        var all = ReadAll();
        var members = new Dictionary<int, ProcessEntry>();
        foreach (var p in all)
        {
            if (p.Pid == rootPid || p.SessionId == rootPid || p.ParentPid == adoptedBy)
                members[p.Pid] = p;
        }
        // Grow by parent links until nothing new joins; trees are small, so quadratic is fine.
        bool grew;
        do
        {
            grew = false;
            foreach (var p in all)
            {
                if (!members.ContainsKey(p.Pid) && members.ContainsKey(p.ParentPid))
                {
                    members[p.Pid] = p;
                    grew = true;
                }
            }
        }
        while (grew);
        members.Remove(Environment.ProcessId);
        return [.. members.Values];
    }

    /// <summary>Whether <paramref name="pid"/> still runs (a zombie has ended; only its parent can reap it).</summary>
    public static bool IsRunning(int pid) => TryRead(pid) is { IsZombie: false };

    public static List<ProcessEntry> ReadAll()
    {
        var list = new List<ProcessEntry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryRead(pid) is { } entry)
                list.Add(entry);
        }
        return list;
    }

    public static ProcessEntry? TryRead(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        return Parse(text);
    }

    /// <summary>Parses <c>pid (comm) state ppid pgrp session ...</c>; comm may itself hold spaces and parentheses.</summary>
    public static ProcessEntry? Parse(string stat)
    {
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open <= 0 || close < open)
            return null;
        var rest = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length < 4
            || !int.TryParse(stat.AsSpan(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !int.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ppid)
            || !int.TryParse(rest[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sid))
            return null;
        return new ProcessEntry(pid, stat[(open + 1)..close], rest[0][0], ppid, sid);
    }

    /// <summary>Makes this process the subreaper of its descendants (see <see cref="Collect"/>).</summary>
    public static bool BecomeSubreaper() => Prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0;

    /// <summary>
    /// Reaps adopted orphans that have ended. Only these exact pids: a blanket waitpid(-1) would steal the
    /// PTY child's status from its own reaper.
    /// </summary>
    public static void ReapAdopted(IEnumerable<ProcessEntry> members, int programPid)
    {
        var self = Environment.ProcessId;
        foreach (var p in members)
        {
            if (p.ParentPid == self && p.Pid != programPid && p.IsZombie)
                _ = WaitPid(p.Pid, IntPtr.Zero, WNoHang);
        }
    }

    /// <summary>Sends <paramref name="signal"/>; a process that is already gone is not an error.</summary>
    public static void Signal(int pid, int signal) => _ = Kill(pid, signal);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, IntPtr status, int options);
}
