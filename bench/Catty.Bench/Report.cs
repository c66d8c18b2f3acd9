namespace Catty.Bench;

/// <summary>
/// Names the figures in the JSON line: Catty's under the plain names (as the targets are stated), the others
/// prefixed <c>ttyd_</c>, <c>bare_pty_</c> or <c>b_</c>, <c>c_</c>, ... (the --compare builds), and Catty/ttyd ratios.
/// </summary>
internal static class Report
{
    public static void Echo(Dictionary<string, object> result, Dictionary<string, EchoResult> echo, int probes)
    {
        result["echo_probes"] = probes;
        foreach (var (name, (samples, sched, threads)) in echo)
        {
            var prefix = name switch { "catty" => "echo", "agent_direct" => "echo_agent_direct", _ => name + "_echo" };
            result[prefix + "_p50_us"] = Stats.Percentile(samples, 50);
            result[prefix + "_p90_us"] = Stats.Percentile(samples, 90);
            result[prefix + "_p99_us"] = Stats.Percentile(samples, 99);
            foreach (var (label, stat) in sched)
            {
                var process = prefix + "_" + (label == name ? "" : label + "_");
                result[process + "cpu_us_per_probe"] = Math.Round(stat.CpuNs / 1000.0 / samples.Count, 1);
                result[process + "wakeups_per_probe"] = Math.Round(stat.Slices / (double)samples.Count, 2);
                result[process + "runqueue_wait_us_per_probe"] = Math.Round(stat.WaitNs / 1000.0 / samples.Count, 1);
                // Which threads wake, as "wake-ups per probe / CPU µs per probe", the busiest first.
                result[process + "threads"] = threads[label]
                    .Where(t => t.Value.Slices >= samples.Count / 10)
                    .OrderByDescending(t => t.Value.Slices)
                    .ToDictionary(
                        t => t.Key,
                        t => FormattableString.Invariant($"{t.Value.Slices / (double)samples.Count:0.00} / {t.Value.CpuNs / 1000.0 / samples.Count:0.0}"));
            }
        }

        if (echo.TryGetValue("ttyd", out var ttyd))
        {
            foreach (var p in new[] { 50, 90, 99 })
            {
                result[$"echo_p{p}_vs_ttyd"] = Stats.Ratio(Stats.Percentile(echo["catty"].RoundTripsUs, p), Stats.Percentile(ttyd.RoundTripsUs, p));
            }
        }
    }

    public static void Throughput(Dictionary<string, object> result, Dictionary<(string Terminal, string Workload), List<ThroughputRun>> runs, int count)
    {
        result["throughput_runs"] = count;
        var medians = new Dictionary<(string, string), double>();
        foreach (var ((terminal, workload), list) in runs)
        {
            var name = (terminal == "catty" ? "" : terminal + "_") + "throughput" + (workload == Workloads.Lines.Name ? "" : "_" + workload["lines_".Length..]);
            var median = Median(list.Select(r => r.MBps));
            medians[(terminal, workload)] = median;
            result[name + "_mb_s"] = Math.Round(median, 1);
            result[name + "_each_mb_s"] = list.Select(r => Math.Round(r.MBps, 1)).ToArray();
            result[name + "_piece_kb"] = Math.Round(Median(list.Select(r => r.PieceKB)), 1);
            if (terminal == "catty" && workload == Workloads.Lines.Name)
            {
                result["throughput_bytes"] = list[0].Bytes;
            }

            foreach (var label in list[0].Cpu.Keys)
            {
                result[$"{name}_{(label == terminal ? "" : label + "_")}cpu_ms_per_mb"] = Math.Round(Median(list.Select(r => r.CpuMsPerMB(label))), 2);
            }

            // Which threads wake, over all runs, as "wake-ups per MB / CPU ms per MB", the busiest first.
            var mb = list.Sum(r => r.Bytes) / 1e6;
            foreach (var label in list[0].Threads.Keys)
            {
                var byThread = list.SelectMany(r => r.Threads[label]).GroupBy(t => t.Key, t => t.Value)
                    .ToDictionary(g => g.Key, g => g.Aggregate(default(SchedStat), (a, b) => a + b));
                result[$"{name}_{label}_wakeups_per_mb"] = Math.Round(byThread.Values.Sum(t => t.Slices) / mb, 1);
                result[$"{name}_{label}_threads"] = byThread
                    .Where(t => t.Value.Slices >= mb)
                    .OrderByDescending(t => t.Value.Slices)
                    .ToDictionary(t => t.Key, t => FormattableString.Invariant($"{t.Value.Slices / mb:0.0} / {t.Value.CpuNs / 1e6 / mb:0.00}"));
            }
        }

        foreach (var ((terminal, workload), median) in medians)
        {
            if (terminal == "catty" && medians.TryGetValue(("ttyd", workload), out var ttyd))
            {
                result["throughput" + (workload == Workloads.Lines.Name ? "" : "_" + workload["lines_".Length..]) + "_vs_ttyd"] = Stats.Ratio(median, ttyd);
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
