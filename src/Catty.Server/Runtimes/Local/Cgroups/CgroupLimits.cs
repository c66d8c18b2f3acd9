namespace Catty.Server.Runtimes.Local.Cgroups;

/// <summary>What a session cgroup allows, in kernel units; zero leaves a limit off.</summary>
/// <param name="MemoryBytes">memory.max / memory.limit_in_bytes, swap held at zero where the kernel lets us.</param>
/// <param name="Pids">pids.max of the program: processes and threads; the session's group allows <see cref="AgentPids"/> more.</param>
/// <param name="CpuPercent">A CFS quota in percent of one core (per 100 ms period).</param>
/// <param name="CpuShares">The v1 cpu.shares weight (1024 is a plain process's); v2's cpu.weight is this / 10.24.</param>
internal sealed record CgroupLimits(long MemoryBytes, int Pids, int CpuPercent, int CpuShares = 1024)
{
    public const int CpuPeriodMicros = 100_000;

    /// <summary>The v1 cpu.shares of a session nobody is attached to: a sixteenth of an attended one's (1024).</summary>
    public const int UnattendedCpuShares = 64;

    /// <summary>v2 cpu.weight for <paramref name="shares"/> (1..10000, 100 plain).</summary>
    public static int WeightOf(int shares) => Math.Clamp((int)Math.Round(shares * 100 / 1024.0), 1, 10000);

    /// <summary>
    /// Processes and threads kept for the session's agent and its network helper above the program's <see cref="Pids"/>:
    /// the agent runs about 20 threads, and must still serve, report and stop a program that has used up its own.
    /// </summary>
    public const int AgentPids = 64;

    /// <summary>pids.max of the session's whole group.</summary>
    public int SessionPids => Pids + AgentPids;

    /// <summary>v2 cpu.weight (1..10000, 100 plain) for the same share as <see cref="CpuShares"/>.</summary>
    public int CpuWeight => WeightOf(CpuShares);

    public long CpuQuotaMicros => (long)CpuPercent * CpuPeriodMicros / 100;
}
