using System.Net;

namespace Catty.Cli.Connect;

/// <summary>How one terminal connection ended.</summary>
internal abstract record ConnectionEnd;

/// <summary>The user left with the detach keys; the session runs on.</summary>
internal sealed record Detached(string How) : ConnectionEnd;

/// <summary>The session's program ended.</summary>
internal sealed record ProgramExited(int? Code, string? Signal) : ConnectionEnd;

/// <summary>Another client took the session over (<see cref="Catty.Sdk.Terminal.TerminalClose.IsReplaced"/>).</summary>
internal sealed record Replaced(string Reason) : ConnectionEnd;

/// <summary>The connection broke or was closed for a reason worth retrying.</summary>
internal sealed record Dropped(string Reason) : ConnectionEnd;

/// <summary>The server refused the WebSocket upgrade.</summary>
internal sealed record Refused(HttpStatusCode Status, string Reason) : ConnectionEnd;

/// <summary>Where to connect: the session's connect URL with its connect token.</summary>
internal sealed record ConnectTarget(string Label, string ConnectUrl, string ConnectToken);
