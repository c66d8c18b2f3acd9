using Catty.Sdk.AgentControl;

namespace Catty.Agent.Launch;

/// <summary>What bubblewrap gets: its command line, and the arguments it reads from a descriptor instead.</summary>
/// <param name="Argv">bwrap's command line: no secret ever, since any host process can read it.</param>
/// <param name="PipedArgs">Read by bwrap from <see cref="BubblewrapCommand.ArgsFd"/> (<c>--args</c>): the
/// program's environment, secrets included.</param>
internal sealed record SandboxCommand(IReadOnlyList<string> Argv, IReadOnlyList<string> PipedArgs);

/// <summary>
/// Wraps a program in bubblewrap so that it sees the system read-only, its workspace read-write at
/// /workspace, its private home at /home/catty, and nothing else of the host: no data directory, no
/// other session, no /root or /home, only an allow-list of /etc. Inside, the program is root of its own
/// user namespace with no capabilities, under a system-call filter, with /proc/sys read-only and size-capped
/// /tmp and /dev/shm. The root is assembled from pieces on bwrap's tmpfs because <c>--ro-bind / /</c>
/// cannot take a /workspace mount point.
/// </summary>
internal static class BubblewrapCommand
{
    /// <summary>The descriptor bwrap reads NUL-separated arguments from.</summary>
    public const int ArgsFd = 3;

    /// <summary>The descriptor bwrap reads the seccomp program from.</summary>
    public const int SeccompFd = 4;

    private static readonly string[] TopLevelSystemDirs = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];

    /// <summary>Parts of /proc that change the host when written (sysctls, sysrq) and are writable by the host's uid 0.</summary>
    private static readonly string[] ReadOnlyProc = ["sys", "sysrq-trigger", "irq", "bus", "fs"];

    public static SandboxCommand Wrap(string bwrap, IReadOnlyList<string> argv, SandboxLayout layout, IReadOnlyDictionary<string, string> environment)
    {
        var args = new List<string>
        {
            bwrap,
            "--args", ArgsFd.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--seccomp", SeccompFd.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The agent spawns from its main thread, which lives as long as the agent: PDEATHSIG fires
            // only when the spawning thread ends, so this ties the sandbox to the agent and nothing earlier.
            "--die-with-parent",
            "--unshare-all",
            // A user namespace even when bwrap runs as root (it would skip it otherwise): root inside has power
            // only over what the namespace owns. No further namespaces inside, and no capabilities at all.
            "--unshare-user", "--disable-userns", "--uid", "0", "--gid", "0",
            "--cap-drop", "ALL",
        };
        if (layout.NetworkMode == AgentNetworkMode.Host)
            args.Add("--share-net");
        if (layout.Gated)
        {
            // The agent learns the sandbox's pid, moves it into the program's cgroup, fences and connects its network
            // namespace, and only then lets the program start (SandboxStartGate, SessionNetwork).
            args.AddRange(["--info-fd", SandboxStartGate.InfoFd.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            args.AddRange(["--block-fd", SandboxStartGate.BlockFd.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        args.AddRange(["--hostname", layout.Hostname]);
        args.AddRange(["--ro-bind", "/usr", "/usr"]);
        foreach (var dir in TopLevelSystemDirs)
        {
            var host = "/" + dir;
            var info = new FileInfo(host);
            if (info.LinkTarget is { } target)
                args.AddRange(["--symlink", target, host]);
            else if (Directory.Exists(host))
                args.AddRange(["--ro-bind", host, host]);
        }
        foreach (var name in layout.EtcFiles)
            args.AddRange(["--ro-bind", Path.Combine(layout.EtcFolder, name), "/etc/" + name]);
        foreach (var name in SandboxEtc.HostAllowList)
            args.AddRange(["--ro-bind-try", "/etc/" + name, "/etc/" + name]);
        args.AddRange(["--symlink", "../proc/self/mounts", "/etc/mtab"]);
        // Node-based agents (claude, codex) are often installed under /opt; /usr/local is inside /usr.
        if (Directory.Exists("/opt"))
            args.AddRange(["--ro-bind", "/opt", "/opt"]);
        // /dev is bwrap's tmpfs of a few device nodes: read-only, so it cannot be filled; /dev/shm is a capped tmpfs.
        args.AddRange(["--dev", "/dev", "--remount-ro", "/dev"]);
        args.AddRange(CappedTmpfs("/dev/shm", layout.TmpMb));
        args.AddRange(["--proc", "/proc"]);
        // The program's uid 0 is the host's uid 0 while the agent runs as root, and /proc/sys checks the uid, not
        // capabilities: shown read-only (the host's view of them, which is the same kernel's).
        foreach (var part in ReadOnlyProc)
            args.AddRange(["--ro-bind-try", "/proc/" + part, "/proc/" + part]);
        args.AddRange(CappedTmpfs("/tmp", layout.TmpMb));
        // An agent installed elsewhere (e.g. a project's node_modules) is shown read-only where it is on the
        // host; after the /tmp tmpfs, which would otherwise hide a folder under /tmp.
        foreach (var path in layout.ReadOnlyPaths)
            args.AddRange(["--ro-bind", path, path]);
        args.AddRange(["--bind", layout.Home, ProgramEnvironment.SandboxHome]);
        args.AddRange(["--bind", layout.Workspace, "/workspace"]);
        args.AddRange(["--remount-ro", "/"]);
        args.AddRange(["--chdir", "/workspace"]);
        // No --new-session: it calls setsid and takes the controlling terminal away from the program.
        args.Add("--");
        args.AddRange(argv);

        // bwrap's own environment is fixed (see LaunchPlan.HostEnvironment); the program's is set here, so that
        // loader variables among the session's (LD_PRELOAD, LD_LIBRARY_PATH, ...) act on the program only.
        var piped = new List<string> { "--clearenv" };
        foreach (var (name, value) in environment)
            piped.AddRange(["--setenv", name, value]);
        return new SandboxCommand(args, piped);
    }

    private static string[] CappedTmpfs(string path, int sizeMb) => sizeMb > 0
        ? ["--perms", "1777", "--size", ((long)sizeMb * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", path]
        : ["--perms", "1777", "--tmpfs", path];
}

/// <summary>Where things are on the host and how big they may get, for <see cref="BubblewrapCommand"/>.</summary>
/// <param name="Workspace">Shown read-write at /workspace.</param>
/// <param name="Home">Shown read-write at /home/catty.</param>
/// <param name="EtcFolder">The generated /etc files (see <see cref="SandboxEtc"/>).</param>
/// <param name="EtcFiles">Names of the generated files, each shown at /etc/NAME.</param>
/// <param name="Hostname">The sandbox's host name.</param>
/// <param name="NetworkMode">An <see cref="AgentNetworkMode"/>: the host's network, an isolated one the agent connects, or none.</param>
/// <param name="TmpMb">Size cap of /tmp and /dev/shm each, in MiB; 0 for none.</param>
/// <param name="ReadOnlyPaths">Host folders shown read-only at their own path.</param>
/// <param name="ProgramCgroupProcs">The cgroup the sandbox joins before its program runs; null for none.</param>
internal sealed record SandboxLayout(
    string Workspace, string Home, string EtcFolder, IReadOnlyList<string> EtcFiles, string Hostname, string NetworkMode, int TmpMb,
    IReadOnlyList<string> ReadOnlyPaths, string? ProgramCgroupProcs = null)
{
    /// <summary>Whether the agent prepares the sandbox (its network, its cgroup) before the program may run.</summary>
    public bool Gated => NetworkMode == AgentNetworkMode.Isolated || ProgramCgroupProcs is not null;
}
