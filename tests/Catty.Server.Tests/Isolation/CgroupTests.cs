using Catty.Server.Runtimes.Local.Cgroups;
using Catty.Server.Sessions;

namespace Catty.Server.Tests.Isolation;

/// <summary>
/// The cgroup code against fake cgroupfs folders: these machines run cgroup v1, so v2 (what most production hosts
/// run) is only exercised here; v1 also runs for real in the session tests beside this file.
/// </summary>
public sealed class CgroupTests : IDisposable
{
    private const string V1MountInfo = """
        35 26 0:30 / /sys/fs/cgroup/memory rw,relatime shared:14 - cgroup cgroup rw,memory
        36 26 0:31 / /sys/fs/cgroup/pids rw,relatime shared:15 - cgroup cgroup rw,pids
        37 26 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:16 - cgroup cgroup rw,cpu,cpuacct
        38 26 0:33 / /sys/fs/cgroup/unified rw,relatime shared:17 - cgroup2 cgroup2 rw
        """;

    private const string V1Self = """
        9:name=systemd:/
        8:pids:/
        4:memory:/jobs/f2017d
        1:cpu,cpuacct:/
        0::/
        """;

    private const string V2MountInfo = """
        24 30 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        """;

    private readonly string _fake = Directory.CreateTempSubdirectory("cgroupfs-").FullName;

    [Fact]
    public void Detection_finds_v1_hierarchies_per_controller_with_the_servers_own_paths()
    {
        var host = CgroupDetection.Parse(V1MountInfo, V1Self, out var why, _ => null);
        Assert.True(host is CgroupV1, why);
        Assert.Equal("cgroup v1 under /sys/fs/cgroup/memory/jobs/f2017d, /sys/fs/cgroup/pids, /sys/fs/cgroup/cpu,cpuacct", host.Where);
    }

    [Fact]
    public void Detection_finds_v2_when_the_servers_group_offers_memory_pids_and_cpu()
    {
        var host = CgroupDetection.Parse(V2MountInfo, "0::/system.slice/catty.service\n", out var why,
            path => path == "/sys/fs/cgroup/system.slice/catty.service/cgroup.controllers" ? "cpuset cpu io memory pids" : null);
        Assert.True(host is CgroupV2, why);
        Assert.Equal("cgroup v2 under /sys/fs/cgroup/system.slice/catty.service", host.Where);
    }

    [Fact]
    public void Detection_explains_a_v2_group_without_the_controllers()
    {
        var host = CgroupDetection.Parse(V2MountInfo, "0::/user.slice/user-1000.slice/session-2.scope\n", out var why, _ => "cpu io");
        Assert.Null(host);
        Assert.Contains("memory, pids", why, StringComparison.Ordinal);
    }

    [Fact]
    public void V2_moves_the_servers_processes_into_a_leaf_then_hands_the_controllers_down()
    {
        var own = Folder("service", ("cgroup.controllers", "cpuset cpu io memory pids"), ("cgroup.subtree_control", ""), ("cgroup.procs", "4242\n"));
        var host = new CgroupV2(own, isRoot: false);

        Assert.Null(host.Prepare());
        Assert.Equal("4242", File.ReadAllText(Path.Combine(own, CgroupV2.ServerLeaf, "cgroup.procs")));
        Assert.Equal("+memory +pids +cpu", File.ReadAllText(Path.Combine(own, "cgroup.subtree_control")));
    }

    [Fact]
    public void V2_started_inside_its_leaf_puts_sessions_beside_it()
    {
        var own = Folder("service", ("cgroup.controllers", "cpu memory pids"), ("cgroup.subtree_control", "cpu memory pids"));
        var leaf = Folder(Path.Combine("service", CgroupV2.ServerLeaf));
        var host = new CgroupV2(leaf, isRoot: false);

        Assert.Null(host.Prepare());
        var group = host.Create("catty-abc", new CgroupLimits(64L << 20, 100, 50), out var error);
        Assert.True(group is not null, error);
        Assert.Equal(Path.Combine(own, "catty-abc"), group.MemoryDir);
    }

    [Fact]
    public void V2_refuses_without_the_controllers_delegated()
    {
        var own = Folder("service", ("cgroup.controllers", "cpu"), ("cgroup.subtree_control", ""));
        Assert.Contains("memory, pids", new CgroupV2(own, isRoot: false).Prepare(), StringComparison.Ordinal);
    }

    [Fact]
    public void V2_session_groups_get_memory_without_swap_pids_cpu_weight_and_quota()
    {
        var own = Folder("root", ("cgroup.controllers", "cpu memory pids"), ("cgroup.subtree_control", "cpu memory pids"));
        var host = new CgroupV2(own, isRoot: true);
        var group = host.Create("catty-abc", new CgroupLimits(256L << 20, 512, 150, CpuShares: 512), out var error);

        Assert.True(group is not null, error);
        var dir = Path.Combine(own, "catty-abc");
        Assert.Equal((2, dir, dir, dir), (group.Version, group.MemoryDir, group.PidsDir, group.CpuDir));
        Assert.Equal("268435456", File.ReadAllText(Path.Combine(dir, "memory.max")));
        Assert.Equal("576", File.ReadAllText(Path.Combine(dir, "pids.max")));
        Assert.Equal("512", File.ReadAllText(Path.Combine(dir, "program", "pids.max")));
        Assert.Equal("+pids", File.ReadAllText(Path.Combine(dir, "cgroup.subtree_control")));
        Assert.Equal("50", File.ReadAllText(Path.Combine(dir, "cpu.weight")));
        Assert.Equal("150000 100000", File.ReadAllText(Path.Combine(dir, "cpu.max")));

        // memory.swap.max is written only where the kernel offers it (a fake folder has none).
        Assert.False(File.Exists(Path.Combine(dir, "memory.swap.max")));
        // The agent joins its leaf; the program's leaf is joined by the sandbox.
        Assert.Equal([Path.Combine(dir, "agent", "cgroup.procs")], group.ProcsFiles);
        Assert.Equal(Path.Combine(dir, "program", "cgroup.procs"), group.ProgramProcsFile);
    }

    [Fact]
    public void V2_groups_report_oom_kills_and_are_killed_through_cgroup_kill()
    {
        var dir = Folder("root/catty-abc", ("memory.events", "low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n"), ("cgroup.kill", ""), ("cgroup.procs", ""));
        var group = new SessionCgroup(2, dir, dir, dir);

        Assert.Equal(2, group.OomKills());
        Assert.True(group.KillAll(TimeSpan.FromSeconds(1)));
        Assert.Equal("1", File.ReadAllText(Path.Combine(dir, "cgroup.kill")));
    }

    [Fact]
    public void V1_session_groups_get_limits_in_each_hierarchy()
    {
        var memory = Folder("memory/own", ("cgroup.procs", ""));
        var pids = Folder("pids", ("cgroup.procs", ""));
        var cpu = Folder("cpu", ("cgroup.procs", ""));
        var host = new CgroupV1(memory, pids, cpu);

        Assert.Null(host.Prepare());
        var group = host.Create("catty-abc", new CgroupLimits(128L << 20, 64, 200), out var error);
        Assert.True(group is not null, error);
        Assert.Equal("134217728", File.ReadAllText(Path.Combine(memory, "catty-abc", "memory.limit_in_bytes")));
        Assert.Equal("128", File.ReadAllText(Path.Combine(pids, "catty-abc", "pids.max")));
        Assert.Equal("64", File.ReadAllText(Path.Combine(pids, "catty-abc", "program", "pids.max")));
        Assert.Equal(Path.Combine(pids, "catty-abc", "program", "cgroup.procs"), group.ProgramProcsFile);
        Assert.Equal("1024", File.ReadAllText(Path.Combine(cpu, "catty-abc", "cpu.shares")));
        Assert.Equal("200000", File.ReadAllText(Path.Combine(cpu, "catty-abc", "cpu.cfs_quota_us")));
        Assert.Equal(3, group.ProcsFiles.Count);
    }

    [Fact]
    public void V1_oom_kills_are_read_from_memory_oom_control()
    {
        var dir = Folder("memory/catty-abc", ("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n"));
        Assert.Equal(1, new SessionCgroup(1, dir, dir, dir).OomKills());
    }

    [Fact]
    public void Limits_that_cannot_work_are_refused_at_start()
    {
        Assert.Empty(new SessionLimitsOptions().Problems());
        Assert.Contains(new SessionLimitsOptions { MemoryMb = 256, TmpMb = 512 }.Problems(), p => p.Contains("TmpMb", StringComparison.Ordinal));
        Assert.Contains(new SessionLimitsOptions { Pids = 8 }.Problems(), p => p.Contains("Pids", StringComparison.Ordinal));
        Assert.Contains(new SessionLimitsOptions { DiskMb = -1 }.Problems(), p => p.Contains("DiskMb", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_fake, recursive: true);

    private string Folder(string relative, params (string Name, string Content)[] files)
    {
        var dir = Path.Combine(_fake, relative);
        Directory.CreateDirectory(dir);
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(dir, name), content);
        }

        return dir;
    }
}
