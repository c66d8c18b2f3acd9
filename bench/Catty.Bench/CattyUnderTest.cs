using System.Diagnostics;
using Catty.Sdk.Api;

namespace Catty.Bench;

/// <summary>One running catty-server and the ways the bench reaches its sessions' terminals.</summary>
internal sealed class CattyUnderTest(ServerProcess server)
{
    private readonly CattyClient _client = server.CreateClient();

    public ServerProcess Server => server;

    /// <summary>A new session with the <c>shell</c> agent (sandboxed when bubblewrap is present).</summary>
    public Task<CreateSessionResponse> CreateAsync(CancellationToken ct) =>
        _client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell", TtlSec: 3600), ct);

    /// <summary>The first session pays for JIT in the server.</summary>
    public async Task WarmUpAsync(CancellationToken ct)
    {
        var warm = await CreateAsync(ct);
        await using var t = await TerminalClient.ConnectAsync(warm, ct);
        await t.ReceiveOutputAsync(ct);
    }

    /// <summary><c>POST /v1/sessions</c> until the first output byte on the WebSocket, in milliseconds.</summary>
    public async Task<List<double>> CreateToFirstByteAsync(int runs, CancellationToken ct)
    {
        var ms = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            var created = await CreateAsync(ct);
            await using (var t = await TerminalClient.ConnectAsync(created, ct))
            {
                await t.ReceiveOutputAsync(ct);
                ms.Add(sw.Elapsed.TotalMilliseconds);
            }

            if (NetworkSetupMs(created) is { } network)
            {
                NetworkMs.Add(network.Ms);
                NetworkPhases.Add(network.Phases);
            }

            await _client.StopSessionAsync(created.Label, delete: false, ct);
        }

        return ms;
    }

    /// <summary>Of <see cref="CreateToFirstByteAsync"/>'s sessions, the time their agent took to fence and connect the network.</summary>
    public List<double> NetworkMs { get; } = [];

    /// <summary>The agent's account of each of <see cref="NetworkMs"/> (namespace ready, spawns, nft, pasta).</summary>
    public List<string> NetworkPhases { get; } = [];

    /// <summary>The agent's own measure of its network setup (pasta and the nft fence), from its log; null without one.</summary>
    private (double Ms, string Phases)? NetworkSetupMs(CreateSessionResponse session)
    {
        var log = Path.Combine(server.DataDir, "machines", session.MachineId, "agent.log");
        if (!File.Exists(log))
            return null;
        var match = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(log), @"network ready in (\d+) ms(?: \(([^)]*)\))?");
        return match.Success ? (double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value) : null;
    }

    /// <summary>A WebSocket open on a running session until its first byte (the screen replay), in milliseconds.</summary>
    public async Task<List<double>> ReopenToFirstByteAsync(CreateSessionResponse session, int runs, CancellationToken ct)
    {
        await using (var first = await TerminalClient.ConnectAsync(session, ct))
        {
            await first.ReceiveOutputAsync(ct);
        }

        var ms = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var info = await _client.GetSessionAsync(session.Label, ct: ct);
            var sw = Stopwatch.StartNew();
            await using var t = await TerminalClient.ConnectAsync(info.ConnectUrl, info.ConnectToken, ct);
            await t.ReceiveOutputAsync(ct);
            ms.Add(sw.Elapsed.TotalMilliseconds);
        }

        return ms;
    }

    /// <summary>The session's terminal through the server's relay, with a fresh connect token.</summary>
    public async Task<TerminalClient> ConnectAsync(CreateSessionResponse session, CancellationToken ct)
    {
        var info = await _client.GetSessionAsync(session.Label, ct: ct);
        return await TerminalClient.ConnectAsync(info.ConnectUrl, info.ConnectToken, ct);
    }

    /// <summary>The session's terminal straight on the agent's Unix socket, without the server's relay.</summary>
    public Task<TerminalClient> ConnectDirectAsync(CreateSessionResponse session, CancellationToken ct) =>
        TerminalClient.ConnectUnixAsync(Path.Combine(server.DataDir, "machines", session.MachineId, "agent.sock"), ct);

    public int AgentPid(CreateSessionResponse session) =>
        ProcFs.FindAgents(session.MachineId).DefaultIfEmpty(0).Max();

    /// <summary>Server RSS with the sessions so far, and its growth per additional idle session, in bytes.</summary>
    public async Task<(long Before, double PerSession)> ServerGrowthAsync(int sessions, CancellationToken ct)
    {
        var before = server.RssBytes();
        var extra = new List<CreateSessionResponse>();
        for (var i = 0; i < sessions; i++)
        {
            extra.Add(await CreateAsync(ct));
        }

        var after = server.RssBytes();
        foreach (var s in extra)
        {
            await _client.StopSessionAsync(s.Label, delete: false, ct);
        }

        return (before, (after - before) / (double)Math.Max(1, sessions));
    }
}
