using System.Net.WebSockets;
using Catty.Sdk.Terminal;

namespace Catty.Sdk.Tests;

public sealed class TerminalCloseTests
{
    [Fact]
    public void Only_1008_with_the_agents_reason_means_replaced()
    {
        Assert.True(new TerminalClose(WebSocketCloseStatus.PolicyViolation, TerminalCloseReasons.Replaced).IsReplaced);
        Assert.False(new TerminalClose(WebSocketCloseStatus.PolicyViolation, "not replaced, just refused").IsReplaced);
        Assert.False(new TerminalClose(WebSocketCloseStatus.EndpointUnavailable, TerminalCloseReasons.Replaced).IsReplaced);
        Assert.False(new TerminalClose(null, null).IsReplaced);
    }

    [Fact]
    public void The_reasons_are_the_ones_the_dashboard_mirrors()
    {
        // web/src/terminal/reconnect.ts compares the same text.
        Assert.Equal("Connection replaced by another client", TerminalCloseReasons.Replaced);
        Assert.Equal("Connection timeout", TerminalCloseReasons.Timeout);
        Assert.Equal("Session stopped", TerminalCloseReasons.SessionStopped);
    }
}
