namespace Catty.Bench;

/// <summary>
/// Fairness between sessions on one host: the keystroke echo of a quiet session alone, then again while
/// <c>busy</c> other sessions print nonstop (<c>yes</c>, with nobody attached, so their agents keep reading and
/// modelling the screen). Each session's cgroup (weight, CPU quota) is what keeps the quiet one responsive;
/// the target is a loaded p99 at most 3× the p99 alone.
/// </summary>
internal static class FairnessBench
{
    public static async Task<Dictionary<string, object>> RunAsync(ServerProcess server, int busy, int probes, int rounds, CancellationToken ct)
    {
        var catty = new CattyUnderTest(server);
        await catty.WarmUpAsync(ct);
        var quiet = await catty.CreateAsync(ct);
        var processes = new Dictionary<string, int> { ["server"] = server.Pid, ["agent"] = catty.AgentPid(quiet) };
        List<double> alone;
        await using (var terminal = await catty.ConnectAsync(quiet, ct))
        {
            await EchoBench.PrepareAsync(terminal, ct);
            alone = (await EchoBench.RunAsync([new EchoTarget("quiet", terminal, processes)], probes, rounds, ct))["quiet"].RoundTripsUs;
        }

        // The quiet session's client leaves while the others start (on a loaded host that can take longer than the
        // agent waits for a silent client), and comes back to its cat, which echoes as before.

        var loud = new List<Catty.Sdk.Api.CreateSessionResponse>();
        for (var i = 0; i < busy; i++)
        {
            var session = await catty.CreateAsync(ct);
            await using var printer = await catty.ConnectAsync(session, ct);
            await printer.TypeAsync("exec yes 'fairness load: a line printed over and over by a busy session'\r", ct);
            await printer.ReadUntilAsync("busy session\r\nfairness", TimeSpan.FromSeconds(30), ct);
            loud.Add(session);
        }

        var loadavgBefore = Stats.LoadAverage();
        List<double> loaded;
        await using (var terminal = await catty.ConnectAsync(quiet, ct))
        {
            await terminal.ReceiveOutputAsync(ct); // the screen's replay
            loaded = (await EchoBench.RunAsync([new EchoTarget("quiet", terminal, processes)], probes, rounds, ct))["quiet"].RoundTripsUs;
        }

        var client = server.CreateClient();
        foreach (var session in loud)
        {
            await client.StopSessionAsync(session.Label, delete: true, ct);
        }

        var aloneP99 = Stats.Percentile(alone, 99);
        var loadedP99 = Stats.Percentile(loaded, 99);
        return new Dictionary<string, object>
        {
            ["fairness_busy_sessions"] = busy,
            ["fairness_echo_alone_p50_us"] = Stats.Percentile(alone, 50),
            ["fairness_echo_alone_p99_us"] = aloneP99,
            ["fairness_echo_loaded_p50_us"] = Stats.Percentile(loaded, 50),
            ["fairness_echo_loaded_p99_us"] = loadedP99,
            ["fairness_p99_ratio"] = Math.Round(loadedP99 / aloneP99, 2),
            ["fairness_target_ratio"] = 3,
            ["loadavg_1m_loaded"] = loadavgBefore,
        };
    }
}
