using Catty.Cli.Commands;
using Catty.Sdk.Api;

namespace Catty.Cli.Tests.Units;

public sealed class StatusTextTests
{
    [Theory]
    [InlineData(SessionStatus.Running, null, "running")]
    [InlineData(SessionStatus.Stopped, StopReason.User, "stopped")]
    [InlineData(SessionStatus.Stopped, StopReason.AgentExited, "stopped")]
    [InlineData(SessionStatus.Stopped, StopReason.OutOfMemory, "stopped (out of memory)")]
    [InlineData(SessionStatus.Stopped, StopReason.DiskFull, "stopped (disk full)")]
    public void List_says_in_words_when_a_session_limit_stopped_a_session(string status, string? reason, string shown)
    {
        var session = new SessionInfo(Guid.NewGuid(), "brave-tiger-1234", "abc", "ws://x/connect", "t", "local", status,
            DateTimeOffset.UnixEpoch, MachineState.Destroyed, StopReason: reason);
        Assert.Equal(shown, SessionCommands.StatusText(session));
    }
}
