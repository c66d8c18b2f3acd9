using System.Net.WebSockets;

namespace Catty.Sdk.Terminal;

/// <summary>The close reasons the agent gives on the terminal socket (docs/DESIGN.md, terminal WebSocket).</summary>
public static class TerminalCloseReasons
{
    /// <summary>With close code 1008: a newer connection took the session over.</summary>
    public const string Replaced = "Connection replaced by another client";

    /// <summary>With close code 1001: the client said nothing for the keepalive timeout.</summary>
    public const string Timeout = "Connection timeout";

    /// <summary>With close code 1001: the session is stopping.</summary>
    public const string SessionStopped = "Session stopped";
}

/// <summary>How the server closed a terminal socket; both null when it dropped without a close frame.</summary>
public readonly record struct TerminalClose(WebSocketCloseStatus? Status, string? Description)
{
    /// <summary>Another client took the session over (close 1008 with <see cref="TerminalCloseReasons.Replaced"/>).</summary>
    public bool IsReplaced => Status == WebSocketCloseStatus.PolicyViolation && Description == TerminalCloseReasons.Replaced;
}
