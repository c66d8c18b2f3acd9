namespace Catty.Server.Runtimes.Local.Cgroups;

/// <summary>What a session cgroup allows, in kernel units; zero leaves a limit off.</summary>
/// <param name="MemoryBytes">memory.max / memory.limit_in_bytes, swap held at zero where the kernel lets us.</param>
/// <param name="Pids">pids.max: processes and threads.</param>
/// <param name="CpuPercent">A CFS quota in percent of one core (per 100 ms period).</param>
/// <param name="CpuShares">The v1 cpu.shares weight (1024 is a plain process's); v2's cpu.weight is this / 10.24.</param>
internal sealed record CgroupLimits(long MemoryBytes, int Pids, int CpuPercent, int CpuShares = 1024)
{
    public const int CpuPeriodMicros = 100_000;

    /// <summary>v2 cpu.weight (1..10000, 100 plain) for the same share as <see cref="CpuShares"/>.</summary>
    public int CpuWeight => Math.Clamp((int)Math.Round(CpuShares * 100 / 1024.0), 1, 10000);

    public long CpuQuotaMicros => (long)CpuPercent * CpuPeriodMicros / 100;
}
