using System.Globalization;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Launch;

/// <summary>
/// Wraps a program in bubblewrap so that it sees the system read-only, its workspace read-write at
/// /workspace, its private home at /home/catty, and nothing else of the host: no data directory, no
/// other session, no /root or /home. The root is assembled from pieces on bwrap's tmpfs because
/// <c>--ro-bind / /</c> cannot take a /workspace mount point.
/// </summary>
internal static class BubblewrapCommand
{
    private static readonly string[] TopLevelSystemDirs = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];

    public static List<string> Wrap(
        string bwrap, IReadOnlyList<string> argv, string workspace, string home, string hostname, string networkMode,
        IReadOnlyList<string>? readOnlyPaths = null, string? resolvConf = null)
    {
        var args = new List<string>
        {
            bwrap,
            // The agent spawns from its main thread, which lives as long as the agent: PDEATHSIG fires
            // only when the spawning thread ends, so this ties the sandbox to the agent and nothing earlier.
            "--die-with-parent",
            "--unshare-all",
            // Run as root, bwrap would otherwise leave the program every capability, including CAP_NET_ADMIN
            // over its network namespace, which would let it undo the network fence (NetworkFence).
            "--cap-drop", "ALL",
        };
        if (networkMode == AgentNetworkMode.Host)
            args.Add("--share-net");
        if (networkMode == AgentNetworkMode.Isolated)
        {
            // The agent learns the sandbox's pid, fences and connects its network namespace, and only then lets the
            // program start (SandboxStartGate).
            args.AddRange(["--info-fd", SandboxStartGate.InfoFd.ToString(CultureInfo.InvariantCulture)]);
            args.AddRange(["--block-fd", SandboxStartGate.BlockFd.ToString(CultureInfo.InvariantCulture)]);
        }
        args.AddRange(["--hostname", hostname]);
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
        args.AddRange(["--ro-bind", "/etc", "/etc"]);
        // A resolv.conf that points into /run (systemd-resolved) would dangle without its target.
        if (new FileInfo("/etc/resolv.conf").LinkTarget is not null
            && new FileInfo("/etc/resolv.conf").ResolveLinkTarget(returnFinalTarget: true) is { Exists: true } resolv
            && !resolv.FullName.StartsWith("/etc/", StringComparison.Ordinal)
            && !resolv.FullName.StartsWith("/usr/", StringComparison.Ordinal))
            args.AddRange(["--ro-bind", resolv.FullName, resolv.FullName]);
        // The host's name server may be on its loopback or a private address, neither reachable from an isolated
        // namespace: the sandbox asks pasta's DNS forwarder instead. Bound over the link's target as well.
        if (resolvConf is not null)
            args.AddRange(["--ro-bind", resolvConf, "/etc/resolv.conf"]);
        // Node-based agents (claude, codex) are often installed under /opt; /usr/local is inside /usr.
        if (Directory.Exists("/opt"))
            args.AddRange(["--ro-bind", "/opt", "/opt"]);
        args.AddRange(["--dev", "/dev", "--proc", "/proc"]);
        args.AddRange(["--perms", "1777", "--tmpfs", "/tmp"]);
        // An agent installed elsewhere (e.g. a project's node_modules) is shown read-only where it is on the
        // host; after the /tmp tmpfs, which would otherwise hide a folder under /tmp.
        foreach (var path in readOnlyPaths ?? [])
            args.AddRange(["--ro-bind", path, path]);
        args.AddRange(["--bind", home, ProgramEnvironment.SandboxHome]);
        args.AddRange(["--bind", workspace, "/workspace"]);
        args.AddRange(["--remount-ro", "/"]);
        args.AddRange(["--chdir", "/workspace"]);
        // No --new-session: it calls setsid and takes the controlling terminal away from the program.
        args.Add("--");
        args.AddRange(argv);
        return args;
    }
}
