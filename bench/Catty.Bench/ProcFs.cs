namespace Catty.Bench;

/// <summary>Reads process facts from /proc.</summary>
internal static class ProcFs
{
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                return kb * 1024;
            }
        }

        return 0;
    }

    /// <summary>User plus system CPU seconds the process has used so far (fields 14 and 15 of /proc/PID/stat).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    /// <summary>
    /// By thread name (<c>/proc/PID/task/*/comm</c>; threads of one name summed) from
    /// <c>/proc/PID/task/*/schedstat</c>: nanoseconds on a CPU, nanoseconds waiting for one, and how many times a
    /// thread was put on a CPU (so, roughly, how often one woke up). A thread that ended between two readings
    /// drops out of their difference.
    /// </summary>
    public static Dictionary<string, SchedStat> SchedByThread(int pid)
    {
        var byName = new Dictionary<string, SchedStat>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                var name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                var stat = new SchedStat(
                    long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture),
                    long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture),
                    long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture));
                byName[name] = byName.GetValueOrDefault(name) + stat;
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return byName;
    }

    /// <summary>
    /// CPU seconds of the process's children that it has waited for (fields 16 and 17): for a shell, the
    /// commands it ran, kernel time in their writes to the terminal included.
    /// </summary>
    public static double ChildrenCpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[13], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[14], System.Globalization.CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    /// <summary>
    /// The newest process named <paramref name="comm"/> among the descendants of <paramref name="ancestor"/> whose
    /// parent has another name (a login shell, not the subshells it forks), or 0.
    /// </summary>
    public static int FindDescendant(int ancestor, string comm)
    {
        var parents = new Dictionary<int, (int Parent, string Comm)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && TryReadStat(pid) is { } stat)
            {
                parents[pid] = stat;
            }
        }

        return parents
            .Where(p => p.Value.Comm == comm && HasAncestor(p.Key) && !(parents.TryGetValue(p.Value.Parent, out var parent) && parent.Comm == comm))
            .Select(p => p.Key).DefaultIfEmpty(0).Max();

        bool HasAncestor(int pid)
        {
            for (var hops = 0; hops < 64 && parents.TryGetValue(pid, out var entry); hops++)
            {
                if (entry.Parent == ancestor)
                {
                    return true;
                }

                pid = entry.Parent;
            }

            return false;
        }
    }

    private static (int Parent, string Comm)? TryReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            return (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), stat[(open + 1)..close]);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Pids of catty-agent processes whose command line mentions <paramref name="marker"/>.</summary>
    public static IEnumerable<int> FindAgents(string marker)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (cmdline.Contains("catty-agent", StringComparison.Ordinal) && cmdline.Contains(marker, StringComparison.Ordinal)
                && !cmdline.StartsWith("setsid", StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }
}

/// <summary>Scheduler accounting of a process: CPU time, time spent runnable but waiting, and times scheduled in.</summary>
internal readonly record struct SchedStat(long CpuNs, long WaitNs, long Slices)
{
    public static SchedStat operator +(SchedStat a, SchedStat b) => new(a.CpuNs + b.CpuNs, a.WaitNs + b.WaitNs, a.Slices + b.Slices);

    public static SchedStat operator -(SchedStat a, SchedStat b) => new(a.CpuNs - b.CpuNs, a.WaitNs - b.WaitNs, a.Slices - b.Slices);
}
