using System.Diagnostics;
using System.Text.Json;
using Catty.Bench;

// Measures the real path: WebSocket client → catty-server relay → catty-agent → PTY and back, beside ttyd
// (the reference) and a bare PTY reader (the floor) in the same run. Prints one JSON line. See bench/README.md.
var options = BenchOptions.Parse(args);
using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(30));
var ct = cts.Token;
var result = new Dictionary<string, object> { ["loadavg_1m_start"] = Stats.LoadAverage() };

// The snapshot bench takes its own snapshots; a scheduled one in the middle would be measured with them.
await using var server = await ServerProcess.StartAsync(options.ServerDll, scheduledSnapshots: !options.Snapshots, ct);
if (options.Snapshots)
{
    Console.WriteLine(JsonSerializer.Serialize(await SnapshotBench.RunAsync(server, options.Rounds, options.Repeat, ct)));
    return 0;
}

if (options.Fairness)
{
    Console.WriteLine(JsonSerializer.Serialize(await FairnessBench.RunAsync(server, options.Busy, options.Probes, options.EchoRounds, ct)));
    return 0;
}

var catty = new CattyUnderTest(server);
await catty.WarmUpAsync(ct);
var createMs = await catty.CreateToFirstByteAsync(options.CreateRuns, ct);
var session = await catty.CreateAsync(ct);
var reopenMs = await catty.ReopenToFirstByteAsync(session, options.ReopenRuns, ct);

// Other builds (--compare, named b, c, ...) measured beside the first: an A/B of a change under the same load.
var compares = new List<(string Name, CattyUnderTest Catty)>();
foreach (var dll in options.CompareDlls)
{
    var other = new CattyUnderTest(await ServerProcess.StartAsync(dll, scheduledSnapshots: true, ct));
    await other.WarmUpAsync(ct);
    compares.Add((((char)('b' + compares.Count)).ToString(), other));
}

await using var ttyd = options.Ttyd is { } ttydPath ? await TtydServer.StartAsync(ttydPath, Workloads.Shell, ct) : null;
var ttydOpenMs = new List<double>();
for (var i = 0; ttyd is not null && i < options.CreateRuns; i++)
{
    var sw = Stopwatch.StartNew();
    await using var t = await TtydClient.ConnectAsync(ttyd.Port, 80, 24, ct);
    await t.ReceiveOutputAsync(ct);
    ttydOpenMs.Add(sw.Elapsed.TotalMilliseconds);
}

// Echo, interleaved: through the relay, straight to an agent, through ttyd, and on a bare PTY.
var echoSession = await catty.CreateAsync(ct);
var echoTargets = new List<EchoTarget>
{
    new("catty", await catty.ConnectAsync(session, ct), new Dictionary<string, int> { ["server"] = server.Pid, ["agent"] = catty.AgentPid(session) }),
    new("agent_direct", await catty.ConnectDirectAsync(echoSession, ct), new Dictionary<string, int> { ["agent"] = catty.AgentPid(echoSession) }),
    new("bare_pty", BarePty.Start(Workloads.Shell), new Dictionary<string, int>()),
};
if (ttyd is not null)
{
    echoTargets.Add(new("ttyd", await TtydClient.ConnectAsync(ttyd.Port, 80, 24, ct), new Dictionary<string, int> { ["ttyd"] = ttyd.Pid }));
}

foreach (var (name, other) in compares)
{
    var s = await other.CreateAsync(ct);
    echoTargets.Add(new(name, await other.ConnectAsync(s, ct), new Dictionary<string, int> { ["server"] = other.Server.Pid, ["agent"] = other.AgentPid(s) }));
}

foreach (var target in echoTargets)
{
    await EchoBench.PrepareAsync(target.Terminal, ct);
}

var echo = await EchoBench.RunAsync(echoTargets, options.Probes, options.EchoRounds, ct);
foreach (var target in echoTargets)
{
    await target.Terminal.DisposeAsync();
}

// Throughput, interleaved the same way, for the workload of the targets and for the same bytes with output processing off.
var targets = new List<ThroughputTarget>();
var bulk = await catty.CreateAsync(ct);
targets.Add(new("catty", await ReadyAsync(await catty.ConnectAsync(bulk, ct)), Cpu(("server", server.Pid), ("agent", catty.AgentPid(bulk))).WithWriter(catty.AgentPid(bulk)), Pids(("server", server.Pid), ("agent", catty.AgentPid(bulk)))));
var bare = BarePty.Start(Workloads.Shell);
targets.Add(new("bare_pty", await ReadyAsync(bare), new Dictionary<string, Func<double>> { ["writer"] = () => ProcFs.ChildrenCpuSeconds(bare.Pid) }));
if (ttyd is not null)
{
    targets.Add(new("ttyd", await ReadyAsync(await TtydClient.ConnectAsync(ttyd.Port, 80, 24, ct)), Cpu(("ttyd", ttyd.Pid)).WithWriter(ttyd.Pid), Pids(("ttyd", ttyd.Pid))));
}

foreach (var (name, other) in compares)
{
    var s = await other.CreateAsync(ct);
    targets.Add(new(name, await ReadyAsync(await other.ConnectAsync(s, ct)), Cpu(("server", other.Server.Pid), ("agent", other.AgentPid(s))).WithWriter(other.AgentPid(s)), Pids(("server", other.Server.Pid), ("agent", other.AgentPid(s)))));
}

var throughput = await ThroughputBench.RunAsync(targets, [Workloads.Lines, Workloads.LinesOpostOff], (long)options.Megabytes * 1024 * 1024, options.ThroughputRuns, ct);
var ttydRss = ttyd?.RssBytes() ?? 0;
foreach (var target in targets)
{
    await target.Terminal.DisposeAsync();
}

// Memory: one idle agent, and the server's growth per idle session.
var agentRss = ProcFs.RssBytes(catty.AgentPid(session));
var (serverRss, growth) = await catty.ServerGrowthAsync(options.Sessions, ct);

Report.Echo(result, echo, options.Probes);
Report.Throughput(result, throughput, options.ThroughputRuns);
result["create_to_first_byte_ms_p50"] = Stats.Percentile(createMs, 50);
if (catty.NetworkMs.Count > 0)
{
    // Inside the figure above: an isolated session's network (pasta and its fence) before the program starts.
    result["create_network_setup_ms_p50"] = Stats.Percentile(catty.NetworkMs, 50);
    var median = catty.NetworkMs.IndexOf(catty.NetworkMs.Order().ElementAt(catty.NetworkMs.Count / 2));
    result["create_network_phases_median_run"] = catty.NetworkPhases[median];
}
result["reopen_to_first_byte_ms_p50"] = Stats.Percentile(reopenMs, 50);
result["reopen_to_first_byte_ms_p90"] = Stats.Percentile(reopenMs, 90);
result["server_rss_mb"] = Math.Round(serverRss / 1048576.0, 1);
result["server_growth_per_session_mb"] = Math.Round(growth / 1048576.0, 3);
result["idle_agent_rss_mb"] = Math.Round(agentRss / 1048576.0, 1);
if (ttyd is not null)
{
    result["ttyd_open_to_first_byte_ms_p50"] = Stats.Percentile(ttydOpenMs, 50);
    result["ttyd_rss_mb"] = Math.Round(ttydRss / 1048576.0, 1);
}

result["sandboxed"] = File.Exists("/usr/bin/bwrap");
foreach (var (_, other) in compares)
{
    await other.Server.DisposeAsync();
}

result["loadavg_1m_end"] = Stats.LoadAverage();
Console.WriteLine(JsonSerializer.Serialize(result));
return 0;

// Once the shell answers, it is there to be found among the processes.
async Task<IBenchTerminal> ReadyAsync(IBenchTerminal terminal)
{
    await terminal.TypeAsync("echo RE\"\"ADY\r", ct);
    await terminal.ReadUntilAsync("READY", TimeSpan.FromSeconds(20), ct);
    return terminal;
}

static Dictionary<string, int> Pids(params (string Label, int Pid)[] processes) => processes.ToDictionary(p => p.Label, p => p.Pid);

static Dictionary<string, Func<double>> Cpu(params (string Label, int Pid)[] processes) =>
    processes.ToDictionary(p => p.Label, p => (Func<double>)(() => ProcFs.CpuSeconds(p.Pid)));
