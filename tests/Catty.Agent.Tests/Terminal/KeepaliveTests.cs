using System.Net.WebSockets;
using Catty.Agent.Tests.Fixtures;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Terminal;

/// <summary>Keepalive with short intervals: pings go out, silent clients are dropped, answering ones stay.</summary>
public sealed class KeepaliveTests
{
    private static readonly string[] FastKeepalive = ["ping-interval-ms=200", "client-timeout-ms=5000", "keepalive-tick-ms=50"];

    [Fact]
    public async Task A_client_that_answers_pings_stays_connected_past_the_timeout()
    {
        await using var agent = await AgentProcess.StartShellAsync(FastKeepalive);
        await using var client = await agent.ConnectAsync(answerPings: true);

        // Thirty pings at 200 ms span 6 s, past the 5 s timeout (long enough that a stalled test process is not
        // taken for a silent client).
        await client.WaitUntilAsync(() => client.Messages.Count(c => c is PingMessage) >= 30, "thirty pings");

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
        // The agent forgets the client once its close handshake is over, a moment after the client sees it.
        await Poll.UntilAsync(() => !agent.GetStatusAsync().Result.ClientConnected, "the agent to forget the dropped client");
        await using var next = await agent.ConnectAsync();
        await next.SendAsync("echo back-$((4*4))\r");
        await next.ReadUntilAsync("back-16");
    }
}
