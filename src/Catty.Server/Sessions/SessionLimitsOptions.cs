namespace Catty.Server.Sessions;

/// <summary>
/// What one session may use on its host, bound from <c>Catty:Sessions:Limits</c>. The local runtime enforces them
/// on the session's whole process tree (its agent included) with a cgroup per session; the defaults suit a shared
/// host running a few dozen coding agents. Zero turns a limit off.
/// </summary>
internal sealed class SessionLimitsOptions
{
    public const string Section = "Catty:Sessions:Limits";

    /// <summary>Memory of the session's processes plus its /tmp, in MiB, swap not allowed; past it the kernel kills the largest process. Default 4096.</summary>
    public int MemoryMb { get; set; } = 4096;

    /// <summary>Processes and threads the session may have at once (its agent's threads count too). Default 1024.</summary>
    public int Pids { get; set; } = 1024;

    /// <summary>CPU time the session may use, in percent of one core (200: two cores' worth). Default 100.</summary>
    public int CpuPercent { get; set; } = 100;

    /// <summary>Size of the sandbox's /tmp (memory, counted in <see cref="MemoryMb"/>), in MiB. Default 512.</summary>
    public int TmpMb { get; set; } = 512;

    /// <summary>Workspace plus private home, in MiB: no single file may grow past it, and a session whose files add up past it stops (<c>disk_full</c>). Default 10240.</summary>
    public int DiskMb { get; set; } = 10240;

    /// <summary>Checks the values; an empty list when they hold.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MemoryMb is < 0 or (> 0 and < 32))
        {
            problems.Add("Catty:Sessions:Limits:MemoryMb must be 0 (no limit) or at least 32.");
        }

        if (Pids is < 0 or (> 0 and < 32))
        {
            problems.Add("Catty:Sessions:Limits:Pids must be 0 (no limit) or at least 32 (the agent alone runs about 20 threads).");
        }

        if (CpuPercent < 0 || TmpMb < 0 || DiskMb < 0)
        {
            problems.Add("Catty:Sessions:Limits:CpuPercent, TmpMb and DiskMb must not be negative.");
        }

        if (MemoryMb > 0 && TmpMb > MemoryMb)
        {
            problems.Add($"Catty:Sessions:Limits:TmpMb ({TmpMb}) cannot exceed MemoryMb ({MemoryMb}): /tmp is memory.");
        }

        return problems;
    }

    /// <summary>The limits in words, for the start-up summary.</summary>
    public string Describe() =>
        $"memory {Mb(MemoryMb)}, {(Pids > 0 ? Pids.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unlimited")} processes, "
        + $"CPU {(CpuPercent > 0 ? $"{CpuPercent}% of a core" : "unlimited")}, /tmp {Mb(TmpMb)}, disk {Mb(DiskMb)}";

    private static string Mb(int mb) => mb > 0 ? $"{mb} MiB" : "unlimited";
}
