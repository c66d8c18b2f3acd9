using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Catty.Sdk;
using Catty.Sdk.AgentControl;
using Catty.Server.Relay;
using Catty.Server.Scheduling;
using Catty.Server.Sessions;

namespace Catty.Server.Tests.Units;

public sealed class SmallPiecesTests
{
    [Fact]
    public void Labels_are_adjective_animal_number_and_rarely_repeat()
    {
        var labels = Enumerable.Range(0, 2000).Select(_ => SessionLabels.Next()).ToList();

        Assert.All(labels, label => Assert.Matches("^[a-z]+-[a-z]+-[1-9][0-9]{3}$", label));
        Assert.True(labels.Distinct().Count() > 1990);
        Assert.Matches("^[0-9a-f]{12}$", SessionLabels.NextMachineId());
    }

    [Fact]
    public void A_running_agents_status_reads_back_although_its_null_members_are_left_out()
    {
        var running = new AgentStatus(AgentState.Running, 42, ActivityCount: 7, Sandboxed: true);

        var json = JsonSerializer.Serialize(running, CattyJson.Default.AgentStatus);

        Assert.DoesNotContain("exit_code", json, StringComparison.Ordinal);
        Assert.Equal(running, JsonSerializer.Deserialize(json, CattyJson.Default.AgentStatus));
    }

    [Fact]
    public void Idle_time_counts_from_the_last_change_of_the_activity_count()
    {
        var tracker = new ActivityTracker();
        var session = Guid.NewGuid();
        var t0 = DateTimeOffset.UnixEpoch;

        Assert.Equal(TimeSpan.Zero, tracker.Observe(session, 5, t0));
        Assert.Equal(TimeSpan.FromMinutes(3), tracker.Observe(session, 5, t0.AddMinutes(3)));
        Assert.Equal(TimeSpan.Zero, tracker.Observe(session, 6, t0.AddMinutes(4)));
        Assert.Equal(TimeSpan.FromMinutes(1), tracker.Observe(session, 6, t0.AddMinutes(5)));
        tracker.KeepOnly(new HashSet<Guid>());
        Assert.Equal(TimeSpan.Zero, tracker.Observe(session, 6, t0.AddMinutes(9)));
    }

    [Fact]
    public async Task The_agents_upgrade_answer_is_parsed_and_bytes_after_its_head_are_kept()
    {
        var (agent, peer) = await ConnectedPairAsync();
        using (peer)
        await using (agent)
        {
            var answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: abc=\r\n\r\n";
            await peer.SendAsync(Encoding.ASCII.GetBytes(answer + "\u0082\u0003hey"));

            var parsed = await AgentUpgrade.ReadAnswerAsync(agent, CancellationToken.None);

            Assert.NotNull(parsed);
            Assert.Equal(101, parsed.StatusCode);
            Assert.Contains(new KeyValuePair<string, string>("Sec-WebSocket-Accept", "abc="), parsed.Headers);
            Assert.Equal(Encoding.ASCII.GetBytes("\u0082\u0003hey"), parsed.Leftover.ToArray());
        }
    }

    [Fact]
    public async Task An_answer_that_is_not_http_is_no_answer()
    {
        var (agent, peer) = await ConnectedPairAsync();
        using (peer)
        await using (agent)
        {
            await peer.SendAsync("garbage\r\n\r\n"u8.ToArray());

            Assert.Null(await AgentUpgrade.ReadAnswerAsync(agent, CancellationToken.None));
        }
    }

    private static async Task<(NetworkStream Agent, Socket Peer)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        var peer = await listener.AcceptAsync();
        return (new NetworkStream(client, ownsSocket: true), peer);
    }
}
