namespace Catty.Server.Storage;

/// <summary>One session: who owns it, where its machine runs, and how it ended. Secrets are never stored.</summary>
internal sealed class SessionRecord
{
    public Guid Id { get; set; }

    /// <summary><c>adjective-animal-NNNN</c>, unique.</summary>
    public required string Label { get; set; }

    public Guid OwnerId { get; set; }

    /// <summary>Configured agent name (<c>claude</c>, <c>codex</c>, <c>shell</c>).</summary>
    public required string Agent { get; set; }

    public required string Region { get; set; }

    /// <summary>The runtime that owns the machine (<c>local</c>).</summary>
    public required string Runtime { get; set; }

    /// <summary>A <see cref="Catty.Sdk.Api.SessionStatus"/> value.</summary>
    public required string Status { get; set; }

    /// <summary>A <see cref="Catty.Sdk.Api.MachineState"/> value.</summary>
    public required string MachineState { get; set; }

    /// <summary>Short id naming the machine's state directory and workspace (12 hex digits).</summary>
    public required string MachineId { get; set; }

    /// <summary>A <see cref="Catty.Sdk.Api.StopReason"/> value once stopped.</summary>
    public string? StopReason { get; set; }

    public int? ExitCode { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The auto-stop deadline.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? StoppedAt { get; set; }

    public int TtlSec { get; set; }

    /// <summary>Where the machine's agent listens: <c>unix:/path/agent.sock</c> or <c>tcp:host:port</c>.</summary>
    public string? AgentEndpoint { get; set; }

    /// <summary>The agent's process id on this host (local runtime).</summary>
    public int? AgentPid { get; set; }

    /// <summary>
    /// When the next periodic snapshot is due; the replica that moves it forward takes that snapshot, so a session is
    /// snapshotted once per period however many replicas run. Null until the first is claimed.
    /// </summary>
    public DateTimeOffset? NextSnapshotAt { get; set; }
}
