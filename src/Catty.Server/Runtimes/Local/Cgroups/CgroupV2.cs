using System.Globalization;

namespace Catty.Server.Runtimes.Local.Cgroups;

/// <summary>
/// cgroup v2: session groups are children of the server's own group, which must hand the memory, pids and cpu
/// controllers down (cgroup.subtree_control). A non-root group that does so may hold no process itself, so the
/// server first moves what runs in its group into a leaf, <c>catty-server</c>; a server started inside that leaf
/// (after a restart) uses the parent. On systemd, run the server with <c>Delegate=yes</c>.
/// </summary>
internal sealed class CgroupV2(string ownDir, bool isRoot) : CgroupHost
{
    public const string ServerLeaf = "catty-server";

    private static readonly string[] Controllers = ["memory", "pids", "cpu"];

    private readonly string _base = !isRoot && Path.GetFileName(ownDir) == ServerLeaf ? Path.GetDirectoryName(ownDir)! : ownDir;

    public override int Version => 2;

    public override string Where => $"cgroup v2 under {_base}";

    public override string? Prepare()
    {
        var available = (CgroupFiles.Read(Path.Combine(_base, "cgroup.controllers")) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (Controllers.Except(available).ToList() is { Count: > 0 } missing)
        {
            return $"{_base} does not offer the {string.Join(", ", missing)} controller(s); delegate them to the server (systemd: Delegate=yes)";
        }

        var enabled = (CgroupFiles.Read(Path.Combine(_base, "cgroup.subtree_control")) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!Controllers.Except(enabled).Any())
        {
            return null;
        }

        if (!isRoot && _base == ownDir && MoveProcessesToLeaf() is { } moveError)
        {
            return moveError;
        }

        return CgroupFiles.TryWrite(Path.Combine(_base, "cgroup.subtree_control"), string.Join(' ', Controllers.Select(c => "+" + c)))
            ? null
            : $"cannot enable {string.Join(", ", Controllers)} in {_base}/cgroup.subtree_control";
    }

    public override SessionCgroup? Create(string name, CgroupLimits limits, out string? error)
    {
        var dir = Path.Combine(_base, name);
        var group = new SessionCgroup(2, dir, dir, dir);
        if (Mkdir(dir) is { } failed)
        {
            error = failed;
            return null;
        }

        var settings = new List<(string, string, bool)>();
        if (limits.Pids > 0)
        {
            // The program gets its own pids budget: the session's group hands pids down to two leaves, and may then
            // hold no process itself.
            group = group with { ProgramDir = Path.Combine(dir, SessionCgroup.ProgramName), AgentDir = Path.Combine(dir, SessionCgroup.AgentName) };
            foreach (var leaf in new[] { group.AgentDir, group.ProgramDir })
            {
                if (Mkdir(leaf) is { } leafFailed)
                {
                    group.Remove();
                    error = leafFailed;
                    return null;
                }
            }

            settings.Add((Path.Combine(dir, "cgroup.subtree_control"), "+pids", false));
            settings.Add((Path.Combine(group.ProgramDir, "pids.max"), limits.Pids.ToString(CultureInfo.InvariantCulture), false));
        }

        if (limits.MemoryBytes > 0)
        {
            settings.Add((Path.Combine(dir, "memory.max"), limits.MemoryBytes.ToString(CultureInfo.InvariantCulture), false));
            settings.Add((Path.Combine(dir, "memory.swap.max"), "0", true));
        }

        if (limits.Pids > 0)
        {
            settings.Add((Path.Combine(dir, "pids.max"), limits.SessionPids.ToString(CultureInfo.InvariantCulture), false));
        }

        settings.Add((Path.Combine(dir, "cpu.weight"), limits.CpuWeight.ToString(CultureInfo.InvariantCulture), false));
        if (limits.CpuPercent > 0)
        {
            settings.Add((Path.Combine(dir, "cpu.max"), $"{limits.CpuQuotaMicros.ToString(CultureInfo.InvariantCulture)} {CgroupLimits.CpuPeriodMicros.ToString(CultureInfo.InvariantCulture)}", false));
        }

        error = Apply(group, settings);
        return error is null ? group : null;
    }

    private string? MoveProcessesToLeaf()
    {
        var leaf = Path.Combine(_base, ServerLeaf);
        if (Mkdir(leaf) is { } failed)
        {
            return failed;
        }

        foreach (var line in (CgroupFiles.Read(Path.Combine(_base, "cgroup.procs")) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // One pid per write; a process that exited meanwhile is fine to miss.
            CgroupFiles.TryWrite(Path.Combine(leaf, "cgroup.procs"), line.Trim());
        }

        return null;
    }
}
