using System.Net.Sockets;
using Catty.Server.Relay;

namespace Catty.Server.Tests.Units;

public sealed class InlineCompletionsTests
{
    /// <summary>
    /// The relay falls back silently when the runtime lacks the switch, so nothing else would notice a runtime
    /// update that removed it: this test does.
    /// </summary>
    [Fact]
    public void The_runtime_has_the_per_socket_inline_completions_switch()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        Assert.True(InlineCompletions.TryEnable(socket));
        Assert.False(InlineCompletions.TryEnable(null));
    }
}
