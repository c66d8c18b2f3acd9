namespace Catty.Sdk.AgentControl;

// The control plane ↔ catty-agent contract. The agent serves HTTP/1.1 on a Unix
// domain socket (local runtime) or TCP (a pod):
//   GET  /connect   WebSocket upgrade; the terminal protocol of Catty.Sdk.Terminal
//   GET  /status    → AgentStatus
//   GET  /wait      → AgentStatus, answered once the program has exited (long poll)
//   GET  /logs      → recent terminal output, raw bytes (application/octet-stream)
//   POST /stop      → AgentStatus; ends the program's whole process tree, then the agent exits
//   GET  /attention?after=N → AgentAttention, answered once its version differs from N (long poll, ~25 s)
// When AgentLaunchSpec.AgentToken is set, every request carries it as a Bearer token.

/// <summary>
/// What catty-agent runs, read as JSON from its standard input at start so that
/// secrets never touch the disk or the command line.
/// </summary>
/// <param name="SessionId">The session this agent serves.</param>
/// <param name="Label">The session's label, exported as SESSION_LABEL.</param>
/// <param name="Argv">The program and its arguments; argv[0] is looked up on PATH.</param>
/// <param name="Env">Environment variables for the program (secrets included), on top of the agent's defaults.</param>
/// <param name="Cols">Initial terminal width in cells.</param>
/// <param name="Rows">Initial terminal height in cells.</param>
/// <param name="Sandbox">"auto" (bubblewrap when present), "bwrap" (required) or "none".</param>
/// <param name="Network">The sandboxed program's network; null is <see cref="AgentNetworkMode.Isolated"/> with nothing allowed.</param>
/// <param name="AgentToken">Bearer token required on every request; null on a Unix socket guarded by file permissions.</param>
/// <param name="ReadOnlyPaths">Host folders the sandbox shows read-only at the same path, for a program installed outside
/// /usr and /opt (e.g. a node_modules folder); absolute paths.</param>
/// <param name="HomeTemplate">A host folder whose files are copied into the program's fresh private home before it starts
/// (e.g. a tool's settings); null for an empty home.</param>
/// <param name="StartHoldMs">How long the program waits for the workspace upload or a first client before it starts
/// anyway; 0 starts it at once. Either one, or a stop, starts it sooner.</param>
/// <param name="TmpMb">Size cap of the sandbox's /tmp (and of /dev/shm, separately) in MiB; 0 leaves them uncapped
/// (half the host's memory, the kernel's default). Memory the program writes there counts as its own.</param>
/// <param name="Attention">Where the session's attention state comes from: an <see cref="AttentionSource"/> value.</param>
/// <param name="ProgramCgroupProcs">A cgroup's <c>cgroup.procs</c> file (absolute path) that the sandbox joins before its program
/// runs, so that the program has its own process budget below the session's and cannot use up the agent's; null for none.</param>
public sealed record AgentLaunchSpec(
    Guid SessionId,
    string Label,
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Env,
    int Cols = 120,
    int Rows = 40,
    string Sandbox = "auto",
    AgentNetworkSpec? Network = null,
    string? AgentToken = null,
    IReadOnlyList<string>? ReadOnlyPaths = null,
    string? HomeTemplate = null,
    int StartHoldMs = 0,
    int TmpMb = AgentLaunchSpec.DefaultTmpMb,
    string Attention = AttentionSource.Quiet,
    string? ProgramCgroupProcs = null)
{
    /// <summary>The default of <see cref="TmpMb"/>.</summary>
    public const int DefaultTmpMb = 512;
}

/// <summary>Values of <see cref="AgentLaunchSpec.Attention"/>.</summary>
public static class AttentionSource
{
    /// <summary>Claude Code's hooks, configured in the session's home (<c>.claude/settings.json</c>).</summary>
    public const string Claude = "claude";

    /// <summary>Codex's <c>notify</c> program, configured in the session's home (<c>.codex/config.toml</c>).</summary>
    public const string Codex = "codex";

    /// <summary>No hooks: output means working, a terminal quiet for a while means idle.</summary>
    public const string Quiet = "quiet";

    public static bool IsKnown(string value) => value is Claude or Codex or Quiet;
}

/// <summary>What the session's program needs from a person, as the agent sees it (<c>GET /attention</c>).</summary>
/// <param name="Version">Grows by one on every change; <c>?after=</c> a version waits for the next one.</param>
/// <param name="State">An <see cref="Api.AttentionState"/> value; null once the program has exited.</param>
/// <param name="Since">When the state began.</param>
public sealed record AgentAttention(long Version, DateTimeOffset Since, string? State = null);

/// <summary>The network a sandboxed program sees.</summary>
/// <param name="Mode">An <see cref="AgentNetworkMode"/> value.</param>
/// <param name="Allow">CIDRs (IPv4 or IPv6, e.g. "10.1.2.0/24") reachable in <see cref="AgentNetworkMode.Isolated"/> mode despite
/// the block list; the host's own addresses stay blocked.</param>
public sealed record AgentNetworkSpec(string Mode = AgentNetworkMode.Isolated, IReadOnlyList<string>? Allow = null)
{
    /// <summary>Parses an <see cref="Allow"/> entry: an address and its prefix length, with no bits set past the prefix.</summary>
    public static bool TryParseCidr(string? text, out System.Net.IPNetwork network)
    {
        network = default;
        if (text is null || text.IndexOf('/', StringComparison.Ordinal) is not (> 0 and var slash)
            || !System.Net.IPNetwork.TryParse(text, out var parsed)
            || !System.Net.IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !parsed.BaseAddress.Equals(address))
            return false;
        network = parsed;
        return true;
    }
}

/// <summary>Values of <see cref="AgentNetworkSpec.Mode"/>.</summary>
public static class AgentNetworkMode
{
    /// <summary>Own network namespace; outbound internet through pasta; the host, private, link-local and multicast ranges blocked.</summary>
    public const string Isolated = "isolated";

    /// <summary>The host's network, unfiltered (the program can reach every loopback service of the host).</summary>
    public const string Host = "host";

    /// <summary>Own network namespace with loopback only.</summary>
    public const string None = "none";

    /// <summary>Whether <paramref name="mode"/> is one of the values above.</summary>
    public static bool IsKnown(string? mode) => mode is Isolated or Host or None;
}

/// <summary>The agent's view of its program.</summary>
/// <param name="State">"running" or "exited".</param>
/// <param name="Pid">Host pid of the program (the sandbox's outer process when sandboxed).</param>
/// <param name="ExitCode">Exit code once exited normally.</param>
/// <param name="ExitSignal">Signal name (e.g. "SIGKILL") when killed by one.</param>
/// <param name="ActivityCount">Grows by one for each chunk of client input or program output; the control plane
/// notices inactivity by this count standing still on its own clock.</param>
/// <param name="Sandboxed">Whether the program runs inside bubblewrap.</param>
/// <param name="ClientConnected">Whether a driver is attached.</param>
/// <remarks>Null members are left out of the JSON, so they (and those after them) have defaults: a running
/// agent's status must read back under RespectRequiredConstructorParameters.</remarks>
public sealed record AgentStatus(
    string State,
    int Pid,
    int? ExitCode = null,
    string? ExitSignal = null,
    long ActivityCount = 0,
    bool Sandboxed = false,
    bool ClientConnected = false);

/// <summary>Body of <c>POST /stop</c>.</summary>
/// <param name="Reason">A <see cref="Api.StopReason"/> value, for the agent's log.</param>
/// <param name="GraceMs">How long to wait after SIGHUP/SIGTERM before SIGKILL.</param>
public sealed record AgentStopRequest(string Reason, int GraceMs = 3000);

/// <summary>Values of <see cref="AgentStatus.State"/>.</summary>
public static class AgentState
{
    public const string Running = "running";
    public const string Exited = "exited";
}
