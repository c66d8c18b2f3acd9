namespace Catty.Sdk.Api;

/// <summary>Body of <c>POST /v1/sessions</c>.</summary>
/// <param name="Agent">Configured agent name: <c>claude</c>, <c>codex</c> or <c>shell</c>.</param>
/// <param name="Cmd">Launcher word plus extra arguments; only arguments the agent's configuration allows are accepted.</param>
/// <param name="Region">Region id; empty means the default region.</param>
/// <param name="TtlSec">Seconds until the session stops by itself.</param>
/// <param name="Secrets">Environment variables for the session; never stored.</param>
public sealed record CreateSessionRequest(
    string? Agent = null,
    IReadOnlyList<string>? Cmd = null,
    string? Region = null,
    int? TtlSec = null,
    IReadOnlyDictionary<string, string>? Secrets = null);

/// <summary>Answer to <c>POST /v1/sessions</c>.</summary>
/// <param name="ConnectUrl">WebSocket URL ending in <c>/connect</c>.</param>
/// <param name="ConnectToken">Short-lived Bearer token valid only for this session's connect and upload URLs.</param>
/// <param name="Headers">Extra headers a client sends with the WebSocket request.</param>
public sealed record CreateSessionResponse(
    Guid SessionId,
    string Label,
    string MachineId,
    string ConnectUrl,
    string ConnectToken,
    IReadOnlyDictionary<string, string> Headers);

/// <summary>One session as listed by <c>GET /v1/sessions</c>.</summary>
/// <param name="Status"><see cref="SessionStatus"/> value: starting, running, stopped, timed_out, failed.</param>
/// <param name="MachineState"><see cref="MachineState"/> value: started, stopped, destroyed.</param>
/// <param name="StopReason">Why it stopped (<see cref="StopReason"/>), null while running.</param>
/// <param name="ExitCode">The agent program's exit code when known.</param>
/// <param name="ExpiresAt">The auto-stop deadline.</param>
/// <param name="ResumedFrom">The stopped session this one was resumed from, when it was.</param>
/// <param name="Attention"><see cref="AttentionState"/> value while the session runs: working, needs_input or idle.</param>
/// <param name="AttentionSince">When the current attention state began.</param>
public sealed record SessionInfo(
    Guid SessionId,
    string Label,
    string MachineId,
    string ConnectUrl,
    string ConnectToken,
    string Region,
    string Status,
    DateTimeOffset CreatedAt,
    string MachineState,
    string? Agent = null,
    string? StopReason = null,
    int? ExitCode = null,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? StoppedAt = null,
    Guid? ResumedFrom = null,
    string? Attention = null,
    DateTimeOffset? AttentionSince = null);

/// <summary>Values of <see cref="SessionInfo.Attention"/>; a stopped session has none.</summary>
public static class AttentionState
{
    /// <summary>The program is at work.</summary>
    public const string Working = "working";

    /// <summary>The program asks something: a question or a permission prompt.</summary>
    public const string NeedsInput = "needs_input";

    /// <summary>The program finished its turn and waits for the next one.</summary>
    public const string Idle = "idle";
}

/// <summary>One change of a session's attention, as <c>GET /v1/sessions/events</c> sends it (event <c>attention</c>).</summary>
public sealed record AttentionEvent(Guid SessionId, string? Attention = null, DateTimeOffset? AttentionSince = null);

/// <summary>
/// A region sessions can run in (<c>GET /v1/regions</c>). <paramref name="Aliases"/> are other names a
/// create request may use for it (Catty's hosted region codes such as <c>iad</c>), sorted.
/// </summary>
public sealed record RegionInfo(string Id, string Name, string Runtime, IReadOnlyList<string>? Aliases = null);

/// <summary>The one error shape of the API.</summary>
public sealed record ApiError(string Error, string Message);

/// <summary>Values of <see cref="SessionInfo.Status"/>.</summary>
public static class SessionStatus
{
    public const string Starting = "starting";
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string TimedOut = "timed_out";
    public const string Failed = "failed";
}

/// <summary>Values of <see cref="SessionInfo.MachineState"/>.</summary>
public static class MachineState
{
    public const string Started = "started";
    public const string Stopped = "stopped";
    public const string Destroyed = "destroyed";
}

/// <summary>Values of <see cref="SessionInfo.StopReason"/>.</summary>
public static class StopReason
{
    public const string User = "user";
    public const string DurationElapsed = "duration_elapsed";
    public const string Inactive = "inactive";
    public const string AgentExited = "agent_exited";
    public const string MachineLost = "machine_lost";

    /// <summary>The program was killed for using more memory than the session may (<c>Catty:Sessions:Limits:MemoryMb</c>).</summary>
    public const string OutOfMemory = "out_of_memory";

    /// <summary>The workspace grew past the session's disk limit (<c>Catty:Sessions:Limits:DiskMb</c>).</summary>
    public const string DiskFull = "disk_full";
}
