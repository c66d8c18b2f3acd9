using System.Net.WebSockets;
using System.Text;
using Catty.Agent.Tests.Fixtures;
using Xunit.Abstractions;

namespace Catty.Agent.Tests.Terminal;

/// <summary>A flood of output to a slow client: the PTY is paused instead of the agent buffering it.</summary>
public sealed class BackpressureTests(ITestOutputHelper output)
{
    // Large enough that buffering it would show far above the 24 MiB allowed; the reader's pauses (40 ms a MiB)
    // keep it draining well past the 2 s client timeout.
    private const long FloodBytes = 64L * 1024 * 1024;
    private static readonly TimeSpan PausePerMiB = TimeSpan.FromMilliseconds(40);

    [Fact]
    public async Task A_slow_reader_does_not_grow_the_agent_memory_and_is_not_dropped_while_draining()
    {
        var line = new string('x', 79);
        await using var agent = await AgentProcess.StartAsync(new AgentStart
        {
            // The flood starts once the client is attached: earlier output reaches a client only as the screen replay.
            Argv = ["sh", "-c", $"read go; yes {line} | head -c {FloodBytes}; echo; echo END-OF-FLOOD"],
            // The client never answers pings: only the draining output keeps it connected past 2 s.
            Options = ["client-timeout-ms=2000", "ping-interval-ms=250", "keepalive-tick-ms=100"],
        });
        await using var client = await agent.ConnectManualAsync();
        await client.SendFrameAsync("\r"u8.ToArray(), WebSocketMessageType.Binary);
        var buffer = new byte[64 * 1024];
        var tail = new StringBuilder();
        long received = 0, nextPause = 1 << 20, baselineKiB = 0, peakKiB = 0;
        var paused = TimeSpan.Zero;
        var started = DateTime.UtcNow;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        while (true)
        {
            var result = await client.Socket.ReceiveAsync(buffer.AsMemory(), cts.Token);
            Assert.True(result.MessageType != WebSocketMessageType.Close, $"closed after {received} bytes: {client.Socket.CloseStatus} {client.Socket.CloseStatusDescription}\n{agent.AgentLog()}");
            if (result.MessageType != WebSocketMessageType.Binary)
                continue;
            received += result.Count;
            tail.Append(Encoding.ASCII.GetString(buffer, 0, result.Count));
            if (tail.ToString().Contains("END-OF-FLOOD", StringComparison.Ordinal))
                break;
            if (tail.Length > 64)
                tail.Remove(0, tail.Length - 64);
            if (received < nextPause)
                continue;
            nextPause += 1 << 20;
            var rss = agent.RssKiB();
            if (baselineKiB == 0)
                baselineKiB = rss;
            peakKiB = Math.Max(peakKiB, rss);
            // The slow consumer: it stops reading for a moment after every MiB (this paces the reader; it waits for no output).
            var pause = DateTime.UtcNow;
            await Task.Delay(PausePerMiB, cts.Token);
            paused += DateTime.UtcNow - pause;
        }

        var elapsed = DateTime.UtcNow - started;
        Assert.True(elapsed > TimeSpan.FromSeconds(2), $"the flood drained in {elapsed.TotalSeconds:0.0} s, within the client timeout it is meant to outlast");
        output.WriteLine($"received {received / (1024 * 1024)} MiB in {elapsed.TotalSeconds:0.0} s ({paused.TotalSeconds:0.0} s paused); agent RSS {baselineKiB / 1024} MiB at the first MiB, peak {peakKiB / 1024} MiB");
        Assert.True(received >= FloodBytes, $"received {received} bytes");
        Assert.True(peakKiB - baselineKiB < 24 * 1024, $"agent RSS grew from {baselineKiB} KiB to {peakKiB} KiB");
        Assert.Equal(WebSocketState.Open, client.Socket.State);
        await agent.StopAsync();
        await agent.WaitForAgentExitAsync();
        output.WriteLine(agent.AgentLog());
    }
}
