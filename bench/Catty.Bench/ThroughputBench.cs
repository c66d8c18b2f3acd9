using System.Diagnostics;

namespace Catty.Bench;

/// <summary>
/// Output throughput: bytes taken in per second between the markers START and END. Terminals and workloads
/// take turns run after run, so that load from elsewhere on the machine falls on all of them alike; each
/// figure is the median of its runs.
/// </summary>
internal static class ThroughputBench
{
    public static async Task<Dictionary<(string Terminal, string Workload), List<ThroughputRun>>> RunAsync(
        IReadOnlyList<ThroughputTarget> targets, IReadOnlyList<ThroughputWorkload> workloads, long bytes, int runs, CancellationToken ct)
    {
        var results = new Dictionary<(string, string), List<ThroughputRun>>();
        for (var run = 0; run < runs; run++)
        {
            foreach (var workload in workloads)
            {
                foreach (var target in targets)
                {
                    var key = (target.Name, workload.Name);
                    if (!results.TryGetValue(key, out var list))
                    {
                        results[key] = list = [];
                    }

                    list.Add(await RunOnceAsync(target, workload, bytes, ct));
                }
            }
        }

        return results;
    }

    private static async Task<ThroughputRun> RunOnceAsync(ThroughputTarget target, ThroughputWorkload workload, long bytes, CancellationToken ct)
    {
        await target.Terminal.TypeAsync(workload.Command(bytes), ct);
        await target.Terminal.ReadUntilAsync("START", TimeSpan.FromSeconds(20), ct);
        var cpuBefore = target.Watched.ToDictionary(w => w.Key, w => w.Value());
        var threadsBefore = target.Threads.ToDictionary(p => p.Key, p => ProcFs.SchedByThread(p.Value));
        var sw = Stopwatch.StartNew();
        var (received, pieces) = await target.Terminal.ReadUntilAsync("END", TimeSpan.FromMinutes(5), ct);
        var seconds = sw.Elapsed.TotalSeconds;
        var cpu = target.Watched.ToDictionary(w => w.Key, w => w.Value() - cpuBefore[w.Key]);
        var threads = target.Threads.ToDictionary(
            p => p.Key,
            p => ProcFs.SchedByThread(p.Value).ToDictionary(t => t.Key, t => t.Value - threadsBefore[p.Key].GetValueOrDefault(t.Key)));
        return new ThroughputRun(received, pieces, seconds, cpu, threads);
    }
}

/// <summary>
/// A terminal to flood, readers of the CPU seconds used so far by the processes it costs (by label), and the
/// processes whose threads' scheduling to record (by label).
/// </summary>
internal sealed record ThroughputTarget(
    string Name, IBenchTerminal Terminal, IReadOnlyDictionary<string, Func<double>> Watched, IReadOnlyDictionary<string, int>? ThreadsOf = null)
{
    public IReadOnlyDictionary<string, int> Threads => ThreadsOf ?? new Dictionary<string, int>();
}

/// <summary>
/// Bytes and pieces of output received, wall seconds, CPU seconds of each watched process, and the scheduler's
/// accounting of each recorded process by thread name.
/// </summary>
internal sealed record ThroughputRun(
    long Bytes, long Pieces, double Seconds, IReadOnlyDictionary<string, double> Cpu, IReadOnlyDictionary<string, Dictionary<string, SchedStat>> Threads)
{
    public double MBps => Bytes / 1e6 / Seconds;

    /// <summary>The average piece of output the client took in: a frame, or a read of the bare PTY.</summary>
    public double PieceKB => Bytes / 1024.0 / Pieces;

    public double CpuMsPerMB(string label) => Cpu[label] * 1000 / (Bytes / 1e6);
}

internal static class WatchedProcesses
{
    /// <summary>
    /// Adds "writer": the CPU time of the commands run by the terminal's shell (the bash under
    /// <paramref name="ancestor"/>), kernel time in their writes to the terminal included.
    /// </summary>
    public static Dictionary<string, Func<double>> WithWriter(this Dictionary<string, Func<double>> watched, int ancestor)
    {
        var shell = ProcFs.FindDescendant(ancestor, "bash");
        if (shell != 0)
        {
            watched["writer"] = () => ProcFs.ChildrenCpuSeconds(shell);
        }

        return watched;
    }
}
