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
        string bwrap, IReadOnlyList<string> argv, string workspace, string home, string hostname, bool shareNet,
        IReadOnlyList<string>? readOnlyPaths = null)
    {
        var args = new List<string>
        {
            bwrap,
            // The agent spawns from its main thread, which lives as long as the agent: PDEATHSIG fires
            // only when the spawning thread ends, so this ties the sandbox to the agent and nothing earlier.
            "--die-with-parent",
            "--unshare-all",
        };
        if (shareNet)
            args.Add("--share-net");
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
