namespace Catty.Sdk.Terminal;

/// <summary>Why <see cref="TerminalSocket.ReceiveAsync"/> returned.</summary>
public abstract record TerminalReceiveEnd;

/// <summary>The server sent a close frame; the close handshake was answered when asked for.</summary>
public sealed record TerminalClosed(TerminalClose Close) : TerminalReceiveEnd;

/// <summary>The receiver asked to stop (e.g. the program exited).</summary>
public sealed record TerminalReceiveStopped : TerminalReceiveEnd;

/// <summary>The connection broke without a close frame, or receiving was cancelled.</summary>
public sealed record TerminalBroken(string Reason) : TerminalReceiveEnd;
