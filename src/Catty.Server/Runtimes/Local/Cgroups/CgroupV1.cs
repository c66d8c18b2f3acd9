using System.Globalization;

namespace Catty.Server.Runtimes.Local.Cgroups;

/// <summary>cgroup v1: a group of the same name under the server's own group in the memory, pids and cpu hierarchies.</summary>
internal sealed class CgroupV1(string memoryBase, string pidsBase, string cpuBase) : CgroupHost
{
    public override int Version => 1;

    public override string Where => $"cgroup v1 under {memoryBase}, {pidsBase}, {cpuBase}";

    public override string? Prepare()
    {
        foreach (var dir in new[] { memoryBase, pidsBase, cpuBase })
        {
            if (!File.Exists(Path.Combine(dir, "cgroup.procs")))
            {
                return $"{dir} is not a cgroup folder";
            }
        }

        return null;
    }

    public override SessionCgroup? Create(string name, CgroupLimits limits, out string? error)
    {
        var group = new SessionCgroup(1, Path.Combine(memoryBase, name), Path.Combine(pidsBase, name), Path.Combine(cpuBase, name));
        foreach (var dir in group.Dirs)
        {
            if (Mkdir(dir) is { } failed)
            {
                group.Remove();
                error = failed;
                return null;
            }
        }

        if (limits.Pids > 0)
        {
            group = group with { ProgramDir = Path.Combine(group.PidsDir, SessionCgroup.ProgramName) };
            if (Mkdir(group.ProgramDir) is { } failed)
            {
                group.Remove();
                error = failed;
                return null;
            }
        }

        var settings = new List<(string, string, bool)>();
        if (limits.MemoryBytes > 0)
        {
            var bytes = limits.MemoryBytes.ToString(CultureInfo.InvariantCulture);
            settings.Add((Path.Combine(group.MemoryDir, "memory.limit_in_bytes"), bytes, false));

            // memory+swap equal to memory: no swap. Only there when the kernel accounts swap.
            settings.Add((Path.Combine(group.MemoryDir, "memory.memsw.limit_in_bytes"), bytes, true));
            settings.Add((Path.Combine(group.MemoryDir, "memory.swappiness"), "0", true));
        }

        if (limits.Pids > 0)
        {
            settings.Add((Path.Combine(group.PidsDir, "pids.max"), limits.SessionPids.ToString(CultureInfo.InvariantCulture), false));
            settings.Add((Path.Combine(group.ProgramDir!, "pids.max"), limits.Pids.ToString(CultureInfo.InvariantCulture), false));
        }

        settings.Add((Path.Combine(group.CpuDir, "cpu.shares"), limits.CpuShares.ToString(CultureInfo.InvariantCulture), false));
        if (limits.CpuPercent > 0)
        {
            settings.Add((Path.Combine(group.CpuDir, "cpu.cfs_period_us"), CgroupLimits.CpuPeriodMicros.ToString(CultureInfo.InvariantCulture), false));
            settings.Add((Path.Combine(group.CpuDir, "cpu.cfs_quota_us"), limits.CpuQuotaMicros.ToString(CultureInfo.InvariantCulture), false));
        }

        error = Apply(group, settings);
        return error is null ? group : null;
    }
}
