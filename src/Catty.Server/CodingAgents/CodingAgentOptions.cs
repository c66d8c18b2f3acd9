namespace Catty.Server.CodingAgents;

/// <summary>
/// The coding agents a session can run (claude, codex, shell), bound from <c>Catty:Agents</c>. "Coding agent"
/// in the server's code keeps them apart from catty-agent, the per-session daemon; on the wire both stay "agent".
/// </summary>
internal sealed class CodingAgentOptions
{
    public const string Section = "Catty:Agents";

    /// <summary>The agent used when a request names none. Default <c>claude</c>.</summary>
    public string Default { get; set; } = "claude";

    /// <summary>Agents by name; appsettings.json defines <c>claude</c>, <c>codex</c> and <c>shell</c>.</summary>
    public Dictionary<string, CodingAgentDefinition> Available { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One configured agent.</summary>
internal sealed class CodingAgentDefinition
{
    /// <summary>The program and its fixed arguments; the first word is looked up on PATH.</summary>
    public List<string> Command { get; set; } = [];

    /// <summary>Other words a client may send as <c>cmd[0]</c> to name this agent (e.g. <c>claude-wrapper</c>).</summary>
    public List<string> Launchers { get; set; } = [];

    /// <summary>Arguments a client may add after <c>cmd[0]</c>; anything else is refused.</summary>
    public List<string> AllowedArgs { get; set; } = [];

    /// <summary>
    /// Host folders the session sandbox shows read-only at the same path: where the agent is installed when
    /// that is outside /usr and /opt (e.g. a node_modules folder holding <c>.bin/claude</c>). Absolute, existing.
    /// </summary>
    public List<string> ReadOnlyPaths { get; set; } = [];

    /// <summary>
    /// A folder copied into each session's private home before the program starts (e.g. Claude Code's
    /// <c>.claude.json</c> with its first-run questions answered). Absolute, existing; empty: an empty home.
    /// </summary>
    public string? HomeTemplate { get; set; }

    /// <summary>
    /// Where the session's attention state comes from: <c>claude</c> (Claude Code's hooks), <c>codex</c>
    /// (Codex's notify) or <c>quiet</c> (output means working, a quiet terminal means idle). Default <c>quiet</c>.
    /// </summary>
    public string Attention { get; set; } = Sdk.AgentControl.AttentionSource.Quiet;
}
