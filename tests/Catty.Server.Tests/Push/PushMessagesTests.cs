using Catty.Sdk.Api;
using Catty.Server.Push;
using Catty.Server.Storage;

namespace Catty.Server.Tests.Push;

/// <summary>The words of each push: the server's own, naming the session by the label it made.</summary>
public sealed class PushMessagesTests
{
    [Theory]
    [InlineData(StopReason.DurationElapsed, null, "Its time ran out.")]
    [InlineData(StopReason.Inactive, null, "It was idle past the inactivity limit.")]
    [InlineData(StopReason.AgentExited, 3, "The program exited with code 3.")]
    [InlineData(StopReason.AgentExited, null, "The program exited.")]
    [InlineData(StopReason.MachineLost, null, "Its machine was lost.")]
    [InlineData(StopReason.OutOfMemory, null, "It ran out of memory.")]
    [InlineData(StopReason.DiskFull, null, "Its disk space ran out.")]
    [InlineData("something_new", null, "It was stopped.")]
    public void A_stop_says_why_and_carries_the_reason_and_exit_code(string reason, int? exitCode, string body)
    {
        var message = PushMessages.For(PushEvents.Stopped, Session(reason, exitCode), TimeSpan.FromMinutes(10));

        Assert.Equal(("stopped", "brave-tiger-1234 stopped", body, "/sessions/brave-tiger-1234"), (message.Event, message.Title, message.Body, message.Url));
        Assert.Equal((reason, exitCode), (message.StopReason, message.ExitCode));
    }

    [Fact]
    public void Attention_and_the_coming_stop_have_their_own_words()
    {
        var session = Session(null, null);
        Assert.Equal("brave-tiger-1234 needs you", PushMessages.For(PushEvents.NeedsInput, session, TimeSpan.FromMinutes(10)).Title);
        Assert.Equal("brave-tiger-1234 is waiting", PushMessages.For(PushEvents.Idle, session, TimeSpan.FromMinutes(10)).Title);
        var expiring = PushMessages.For(PushEvents.Expiring, session, TimeSpan.FromMinutes(15));
        Assert.Equal(("brave-tiger-1234 stops soon", "It stops in 15 minutes; extend it to keep it running."), (expiring.Title, expiring.Body));
    }

    private static SessionRecord Session(string? reason, int? exitCode) => new()
    {
        Id = Guid.NewGuid(),
        Label = "brave-tiger-1234",
        Agent = "claude",
        Region = "local",
        Runtime = "local",
        Status = reason is null ? SessionStatus.Running : SessionStatus.Stopped,
        MachineState = MachineState.Started,
        MachineId = "0123456789ab",
        StopReason = reason,
        ExitCode = exitCode,
    };
}
