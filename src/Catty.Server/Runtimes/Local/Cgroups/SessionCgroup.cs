using System.Diagnostics;
using System.Globalization;

namespace Catty.Server.Runtimes.Local.Cgroups;

/// <summary>
/// One session's cgroup, as recorded with its machine: on cgroup v1 a folder in each of the memory, pids and cpu
/// hierarchies (the same folder three times on v2). Everything in it is the session's: its agent joined before it
/// ran, and children inherit membership, so reading, killing and removing act on the whole tree.
/// </summary>
/// <param name="Version">1 or 2.</param>
/// <param name="ProgramDir">When processes are limited: the child group of the pids hierarchy that the sandboxed program
/// joins before it runs, with the session's Pids as its own pids.max. The session's group allows that plus
/// <see cref="CgroupLimits.AgentPids"/>, so a program that uses up its processes leaves the agent room to serve and stop it.</param>
/// <param name="AgentDir">On v2 with <paramref name="ProgramDir"/>: the agent's leaf beside it (a v2 group that hands a
/// controller to its children may hold no process itself). Null on v1, where the agent joins the session's groups.</param>
internal sealed record SessionCgroup(int Version, string MemoryDir, string PidsDir, string CpuDir, string? ProgramDir = null, string? AgentDir = null)
{
    /// <summary>The name of <see cref="ProgramDir"/> and <see cref="AgentDir"/> under the session's group.</summary>
    public const string ProgramName = "program", AgentName = "agent";

    /// <summary>The distinct folders, memory first.</summary>
    public IReadOnlyList<string> Dirs => new[] { MemoryDir, PidsDir, CpuDir }.Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The files the agent writes its pid to, to join (one per hierarchy, or its leaf on v2).</summary>
    public IReadOnlyList<string> ProcsFiles => AgentDir is { } agent
        ? [Path.Combine(agent, "cgroup.procs")]
        : Dirs.Select(d => Path.Combine(d, "cgroup.procs")).ToList();

    /// <summary>The file the sandbox's first process is written to before the program runs; null without <see cref="ProgramDir"/>.</summary>
    public string? ProgramProcsFile => ProgramDir is { } dir ? Path.Combine(dir, "cgroup.procs") : null;

    /// <summary>Every folder that may hold a process: the children first, so they can be removed in this order.</summary>
    private IEnumerable<string> AllDirs => new[] { ProgramDir, AgentDir }.OfType<string>().Concat(Dirs);

    /// <summary>Sets the group's CPU weight (v1 cpu.shares, v2 the same share as cpu.weight); false when the group is gone.</summary>
    public bool SetCpuShares(int shares) => Version == 1
        ? CgroupFiles.TryWrite(Path.Combine(CpuDir, "cpu.shares"), shares.ToString(CultureInfo.InvariantCulture))
        : CgroupFiles.TryWrite(Path.Combine(CpuDir, "cpu.weight"), CgroupLimits.WeightOf(shares).ToString(CultureInfo.InvariantCulture));

    /// <summary>How many times the kernel's OOM killer killed a process of this group (0 when unknown).</summary>
    public long OomKills()
    {
        var file = Path.Combine(MemoryDir, Version == 1 ? "memory.oom_control" : "memory.events");
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts is ["oom_kill", var count] && long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var kills))
                {
                    return kills;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The group is gone: nothing more to learn from it.
        }

        return 0;
    }

    /// <summary>The pids in the group (every hierarchy), empty when it is gone.</summary>
    public IReadOnlyList<int> Processes()
    {
        var pids = new HashSet<int>();
        foreach (var file in AllDirs.Select(d => Path.Combine(d, "cgroup.procs")))
        {
            try
            {
                foreach (var line in File.ReadLines(file))
                {
                    if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                    {
                        pids.Add(pid);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not there (removed, or never created on this hierarchy).
            }
        }

        return [.. pids];
    }

    /// <summary>
    /// SIGKILLs everything in the group until it is empty: v2's cgroup.kill does it in one step; on v1 a loop
    /// catches what was forked meanwhile (pids.max bounds how much can be). False when processes remain at the deadline.
    /// </summary>
    public bool KillAll(TimeSpan within)
    {
        var kill = Path.Combine(MemoryDir, "cgroup.kill");
        if (Version == 2 && File.Exists(kill))
        {
            CgroupFiles.TryWrite(kill, "1");
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = Processes();
            if (left.Count == 0)
            {
                return true;
            }

            if (clock.Elapsed > within)
            {
                return false;
            }

            foreach (var pid in left)
            {
                HostCalls.Kill(pid);
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>Removes the group's folders (rmdir: the kernel refuses while a process is left). True when none remains.</summary>
    public bool Remove()
    {
        var removed = true;
        foreach (var dir in AllDirs)
        {
            try
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: false);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                removed = false;
            }
        }

        return removed;
    }
}
