using System.Net.WebSockets;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Terminal;

/// <summary>Keepalive with short intervals: pings go out, silent clients are dropped, answering ones stay.</summary>
public sealed class KeepaliveTests
{
    private static readonly string[] FastKeepalive = ["ping-interval-ms=200", "client-timeout-ms=1000", "keepalive-tick-ms=50"];

    [Fact]
    public async Task A_client_that_answers_pings_stays_connected_past_the_timeout()
    {
        await using var agent = await AgentProcess.StartShellAsync(FastKeepalive);
        await using var client = await agent.ConnectAsync(answerPings: true);

        // Ten pings at 200 ms span twice the 1 s timeout.
        await client.WaitUntilAsync(() => client.Controls().Count(c => c is PingMessage) >= 10, "ten pings");

        Assert.Equal(WebSocketState.Open, client.Socket.State);
        await client.SendAsync("echo alive-$((3*3))\r");
        await client.ReadUntilAsync("alive-9");
    }

    [Fact]
    public async Task A_silent_client_is_dropped_and_the_session_goes_on()
    {
        await using var agent = await AgentProcess.StartShellAsync(FastKeepalive);
        await using var silent = await agent.ConnectAsync(answerPings: false);

        var (status, reason) = await silent.WaitForCloseAsync();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("Connection timeout", reason);
        Assert.False((await agent.GetStatusAsync()).ClientConnected);
        await using var next = await agent.ConnectAsync();
        await next.SendAsync("echo back-$((4*4))\r");
        await next.ReadUntilAsync("back-16");
    }
}
