using Catty.Sdk.Api;

namespace Catty.Server.Sessions;

/// <summary>How a session ends: the status it gets, the reason recorded, and the program's exit code when known.</summary>
internal sealed record SessionEnd(string Status, string Reason, int? ExitCode = null)
{
    public static SessionEnd ByUser { get; } = new(SessionStatus.Stopped, StopReason.User);

    public static SessionEnd DeadlinePassed { get; } = new(SessionStatus.TimedOut, StopReason.DurationElapsed);

    public static SessionEnd Inactive { get; } = new(SessionStatus.TimedOut, StopReason.Inactive);

    public static SessionEnd MachineLost { get; } = new(SessionStatus.Stopped, StopReason.MachineLost);

    public static SessionEnd AgentExited(int? exitCode) => new(SessionStatus.Stopped, StopReason.AgentExited, exitCode);

    /// <summary>A session limit stopped it (<see cref="StopReason.OutOfMemory"/>, <see cref="StopReason.DiskFull"/>).</summary>
    public static SessionEnd LimitReached(string reason, int? exitCode = null) => new(SessionStatus.Stopped, reason, exitCode);
}
