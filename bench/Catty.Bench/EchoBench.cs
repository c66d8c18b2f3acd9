using System.Diagnostics;

namespace Catty.Bench;

/// <summary>
/// Keystroke echo: one byte typed into <c>cat</c> in raw mode until it comes back. Several terminals are
/// measured in interleaved rounds, so that load from elsewhere on the machine falls on all of them alike.
/// Beside the round trips, the scheduler's accounting of each process on the path: CPU time and how often its
/// threads were woken, per probe, which load from elsewhere hardly changes.
/// </summary>
internal static class EchoBench
{
    private const int WarmupProbes = 100;

    public static async Task PrepareAsync(IBenchTerminal terminal, CancellationToken ct)
    {
        await terminal.TypeAsync(Workloads.EchoSetup, ct);
        await terminal.ReadUntilAsync(Workloads.EchoReady, TimeSpan.FromSeconds(20), ct);
    }

    public static async Task<Dictionary<string, EchoResult>> RunAsync(IReadOnlyList<EchoTarget> targets, int probes, int rounds, CancellationToken ct)
    {
        var results = targets.ToDictionary(t => t.Name, t => new EchoResult(
            new List<double>(probes), t.Processes.ToDictionary(p => p.Key, _ => default(SchedStat)), t.Processes.ToDictionary(p => p.Key, _ => new Dictionary<string, SchedStat>())));
        foreach (var target in targets)
        {
            await ProbeAsync(target.Terminal, WarmupProbes, null, ct);
        }

        for (var round = 0; round < rounds; round++)
        {
            var count = probes / rounds + (round < probes % rounds ? 1 : 0);
            foreach (var target in targets)
            {
                var result = results[target.Name];
                var before = target.Processes.ToDictionary(p => p.Key, p => ProcFs.SchedByThread(p.Value));
                await ProbeAsync(target.Terminal, count, result.RoundTripsUs, ct);
                foreach (var (label, pid) in target.Processes)
                {
                    var threads = result.Threads[label];
                    foreach (var (thread, after) in ProcFs.SchedByThread(pid))
                    {
                        var spent = after - before[label].GetValueOrDefault(thread);
                        threads[thread] = threads.GetValueOrDefault(thread) + spent;
                        result.Sched[label] += spent;
                    }
                }
            }
        }

        return results;
    }

    private static async Task ProbeAsync(IBenchTerminal terminal, int count, List<double>? into, CancellationToken ct)
    {
        var probe = new byte[] { (byte)'x' };
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await terminal.SendAsync(probe, ct);
            var received = 0;
            while (received < probe.Length)
            {
                received += (await terminal.ReceiveOutputAsync(ct)).Length;
            }

            into?.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
    }
}

/// <summary>A terminal ready for probes, and the processes on its path (by label).</summary>
internal sealed record EchoTarget(string Name, IBenchTerminal Terminal, IReadOnlyDictionary<string, int> Processes);

/// <summary>Round trips in microseconds, and the scheduler's accounting of each process over all probes, also by thread name.</summary>
internal sealed record EchoResult(List<double> RoundTripsUs, Dictionary<string, SchedStat> Sched, Dictionary<string, Dictionary<string, SchedStat>> Threads);
