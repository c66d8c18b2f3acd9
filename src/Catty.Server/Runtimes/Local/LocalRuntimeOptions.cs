namespace Catty.Server.Runtimes.Local;

/// <summary>The local runtime (one detached catty-agent process per session on this host), bound from <c>Catty:Runtimes:Local</c>.</summary>
internal sealed class LocalRuntimeOptions
{
    public const string Section = "Catty:Runtimes:Local";

    /// <summary>
    /// The catty-agent program: an executable, or a <c>.dll</c> run with <c>dotnet</c>.
    /// Empty: <c>catty-agent</c> next to the server's own assembly (the apphost, else the <c>.dll</c>).
    /// </summary>
    public string? AgentPath { get; set; }

    /// <summary>
    /// The folder holding <c>machines/</c> (state dirs) and <c>workspaces/</c>. Empty: the data dir, except when the
    /// server runs as root and the data dir lies behind a folder others cannot pass through (such as
    /// root's default <c>~/.local/share/catty</c>, behind a 0700 home): then <c>/var/lib/catty</c>, since each session's uid must reach its own folders.
    /// </summary>
    public string? MachinesDir { get; set; }

    /// <summary>First host uid (and gid) given to sessions when the server runs as root. Default 600000.</summary>
    public int SessionUidBase { get; set; } = 600_000;

    /// <summary>How many uids from <see cref="SessionUidBase"/> sessions may use, one per running machine; 0 runs every session as the server's own uid. Default 10000.</summary>
    public int SessionUidCount { get; set; } = 10_000;

    /// <summary>How long an agent may take to accept connections before the session is <c>failed</c>. Default 10 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the agent waits after SIGHUP/SIGTERM before it SIGKILLs the program on stop. Default 3 s.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a new session's program waits for the workspace upload (or a first client) before it starts
    /// anyway, so that it finds the uploaded files from its first moment. Zero starts it at once. Default 30 s.
    /// </summary>
    public TimeSpan ProgramStartHold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The program's sandbox: <c>auto</c> (bubblewrap when installed), <c>bwrap</c> (required) or <c>none</c>. Default <c>auto</c>.</summary>
    public string Sandbox { get; set; } = "auto";

    /// <summary>Initial terminal size in cells until a client sends its own. Default 120 × 40.</summary>
    public int Cols { get; set; } = 120;

    /// <inheritdoc cref="Cols"/>
    public int Rows { get; set; } = 40;
}
