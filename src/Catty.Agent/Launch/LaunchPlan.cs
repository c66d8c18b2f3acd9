using System.Text;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Launch;

/// <summary>An isolated network to connect: what was asked, the host tools, and where the sandbox's resolv.conf is written.</summary>
internal sealed record IsolatedNetwork(AgentNetworkSpec Spec, NetworkTools Tools, string ResolvConfPath);

/// <summary>
/// Exactly what gets spawned in the PTY: the final argv (wrapped in bwrap or not), the program's environment and
/// folder; when sandboxed, also what bwrap reads from descriptors and the /etc files it shows.
/// </summary>
internal sealed record LaunchPlan(
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    string HomeDirectory,
    bool Sandboxed,
    int Cols,
    int Rows)
{
    /// <summary>A folder copied into <see cref="HomeDirectory"/> when the program starts with a fresh home.</summary>
    public string? HomeTemplate { get; init; }

    /// <summary>
    /// The environment of the process spawned on the host. Unsandboxed, the program's own; sandboxed, bwrap's:
    /// a fixed PATH and LANG only, so that nothing the session chose (secrets, loader variables) acts on the host.
    /// </summary>
    public IReadOnlyDictionary<string, string> HostEnvironment { get; init; } = Environment;

    /// <summary>Arguments bwrap reads from descriptor 3 (the program's environment); null when not sandboxed.</summary>
    public IReadOnlyList<string>? PipedArgs { get; init; }

    /// <summary>The seccomp program bwrap reads from descriptor 4; null when not sandboxed.</summary>
    public byte[]? Seccomp { get; init; }

    /// <summary>Where the generated /etc files go, and what they hold; null when not sandboxed.</summary>
    public string? EtcFolder { get; init; }

    /// <summary>The sandbox's network when it is <see cref="AgentNetworkMode.Isolated"/>: the agent connects it before the program starts.</summary>
    public IsolatedNetwork? Network { get; init; }

    /// <summary>The cgroup the sandbox joins before its program runs (sandboxed only); null for none.</summary>
    public string? ProgramCgroupProcs { get; init; }

    /// <summary>Whether bwrap holds the program until the agent has prepared the sandbox (see <see cref="SandboxLayout.Gated"/>).</summary>
    public bool Gated => Network is not null || ProgramCgroupProcs is not null;

    /// <summary>The generated /etc files by name (see <see cref="SandboxEtc"/>).</summary>
    public IReadOnlyDictionary<string, string> EtcFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>The plan with one more variable in the program's environment, set over the session's own.</summary>
    public LaunchPlan WithProgramVariable(string name, string value)
    {
        var env = new Dictionary<string, string>(Environment, StringComparer.Ordinal) { [name] = value };
        // bwrap applies its --setenv arguments in order, so one at the end wins over the session's.
        return Sandboxed
            ? this with { Environment = env, PipedArgs = [.. PipedArgs ?? [], "--setenv", name, value] }
            : this with { Environment = env, HostEnvironment = env };
    }

    /// <summary>bwrap's environment: nothing of the agent's or the session's.</summary>
    public static IReadOnlyDictionary<string, string> SandboxHostEnvironment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PATH"] = ProgramEnvironment.DefaultPath,
        ["LANG"] = "C.UTF-8",
    };

    /// <summary>
    /// Decides sandboxing and builds the plan. HOME is a private folder of the session
    /// (<c>STATE_DIR/home</c>; /home/catty inside the sandbox), so that tools' dot-files never land in the
    /// workspace, which is snapshotted and synced back to the user.
    /// </summary>
    public static LaunchPlan? Create(AgentLaunchSpec spec, string workspace, string stateDir, out string? error)
    {
        error = null;
        var home = Path.Combine(stateDir, "home");
        string? bwrap = null;
        if (spec.Sandbox != "none")
        {
            bwrap = ProgramEnvironment.FindOnPath("bwrap", System.Environment.GetEnvironmentVariable("PATH"))
                ?? ProgramEnvironment.FindOnPath("bwrap", ProgramEnvironment.DefaultPath);
            if (bwrap is null && spec.Sandbox == "bwrap")
            {
                error = "sandbox \"bwrap\" was asked for but bwrap is not installed";
                return null;
            }
        }
        if (bwrap is null)
        {
            var env = ProgramEnvironment.Build(spec.Label, home, spec.Env);
            // posix_spawnp would search the agent's own PATH; the program's PATH is the one that counts.
            var program = spec.Argv[0].Contains('/', StringComparison.Ordinal)
                ? spec.Argv[0]
                : ProgramEnvironment.FindOnPath(spec.Argv[0], env["PATH"]);
            if (program is null)
            {
                error = $"{spec.Argv[0]}: command not found";
                return null;
            }
            return new LaunchPlan([program, .. spec.Argv.Skip(1)], env, workspace, home, Sandboxed: false, spec.Cols, spec.Rows)
            {
                HomeTemplate = spec.HomeTemplate,
            };
        }
        var readOnlyPaths = spec.ReadOnlyPaths ?? [];
        if (SandboxCannotSee(spec.Argv[0], readOnlyPaths) is { } hidden)
        {
            error = $"{spec.Argv[0]} ({hidden}) is outside what the sandbox shows (/usr, /opt, /etc and the agent's read-only paths); "
                + "install it under /usr/local or /opt, or add its folder to the agent's ReadOnlyPaths";
            return null;
        }
        if (SeccompFilter.ForThisMachine() is not { } seccomp)
        {
            error = $"the sandbox has no system-call filter for {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}; use sandbox \"none\" knowingly";
            return null;
        }
        var sandboxEnv = ProgramEnvironment.Build(spec.Label, ProgramEnvironment.SandboxHome, spec.Env);
        // Inside, the program is root of its user namespace, whichever host user runs the agent.
        sandboxEnv["USER"] = "root";
        sandboxEnv["LOGNAME"] = "root";
        // Tools that refuse risky modes as root unless inside a deliberate sandbox (Claude Code's
        // --dangerously-skip-permissions, which hosted clients send) recognize one by this variable.
        sandboxEnv[ProgramEnvironment.SandboxMarker] = "1";
        var hostname = Hostname(spec.Label);
        var etcFolder = Path.Combine(stateDir, SandboxEtc.FolderName);
        var etcFiles = SandboxEtc.Files(hostname, ProgramEnvironment.SandboxHome);
        var network = spec.Network ?? new AgentNetworkSpec();
        IsolatedNetwork? isolated = null;
        if (network.Mode == AgentNetworkMode.Isolated)
        {
            if (NetworkTools.Find(out var missing) is not { } tools)
            {
                error = $"network \"isolated\" needs {missing} on the host; install it, or choose the network mode \"host\" or \"none\"";
                return null;
            }
            isolated = new IsolatedNetwork(network, tools, Path.Combine(etcFolder, "resolv.conf"));
        }
        var layout = new SandboxLayout(
            workspace, home, etcFolder, [.. etcFiles.Keys, "resolv.conf"], hostname, network.Mode, spec.TmpMb, readOnlyPaths, spec.ProgramCgroupProcs);
        var command = BubblewrapCommand.Wrap(bwrap, spec.Argv, layout, sandboxEnv);
        return new LaunchPlan(command.Argv, sandboxEnv, workspace, home, Sandboxed: true, spec.Cols, spec.Rows)
        {
            HomeTemplate = spec.HomeTemplate,
            HostEnvironment = SandboxHostEnvironment,
            PipedArgs = command.PipedArgs,
            Seccomp = seccomp,
            EtcFolder = etcFolder,
            EtcFiles = etcFiles,
            Network = isolated,
            ProgramCgroupProcs = spec.ProgramCgroupProcs,
        };
    }

    /// <summary>
    /// For a program named by an absolute path: its real location when the sandbox would not show it (bwrap
    /// would only say "No such file or directory"), else null. Bare names are looked up inside the sandbox.
    /// </summary>
    internal static string? SandboxCannotSee(string program, IReadOnlyList<string> readOnlyPaths)
    {
        if (!program.StartsWith('/'))
            return null;
        string real;
        try
        {
            real = RealPath(program);
        }
        catch (IOException)
        {
            return null;
        }
        string[] system = ["/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/etc/", "/opt/"];
        if (system.Any(root => real.StartsWith(root, StringComparison.Ordinal)))
            return null;
        foreach (var path in readOnlyPaths)
        {
            var root = RealPath(path).TrimEnd('/') + "/";
            if (real.StartsWith(root, StringComparison.Ordinal))
                return null;
        }
        return real;
    }

    private static string RealPath(string path)
    {
        // Resolves links in every component, as the kernel does when bwrap binds the folder.
        var full = Path.GetFullPath(path);
        var resolved = "/";
        foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(resolved, part);
            var info = new DirectoryInfo(next);
            resolved = info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next : next;
        }
        return resolved;
    }

    /// <summary>The label as a hostname: lowercase letters, digits and dashes, at most 63.</summary>
    internal static string Hostname(string label)
    {
        var sb = new StringBuilder();
        foreach (var c in label.ToLowerInvariant())
        {
            if (sb.Length == 63)
                break;
            sb.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' ? c : '-');
        }
        var name = sb.ToString().Trim('-');
        return name.Length == 0 ? "catty" : name;
    }
}
