using System.Diagnostics;
using System.Globalization;
using System.Text;
using Catty.Sdk.Api;

namespace Catty.Bench;

/// <summary>
/// Snapshot cost on a 100 MB, 10,000-file workspace: the first snapshot, then rounds of periodic snapshots
/// (after changing one file, and with nothing changed), each beside <c>tar czf</c> of the same tree in the same
/// round. CPU is the server's plus the agent's (the agent walks and hashes, the server compresses and stores).
/// A periodic figure is the mean of <c>--repeat</c> snapshots in a row, because one costs less than the
/// 10 ms tick of <c>/proc</c> CPU accounting; ratios are taken per round and their median reported.
/// </summary>
internal static class SnapshotBench
{
    private const int Files = 10_000;
    private const int FileBytes = 100 * 1024 * 1024 / Files;

    public static async Task<Dictionary<string, object>> RunAsync(ServerProcess server, int rounds, int repeat, CancellationToken ct)
    {
        var client = server.CreateClient();
        var session = await client.CreateSessionAsync(new CreateSessionRequest(Agent: "shell", TtlSec: 3600), ct);
        var workspace = Path.Combine(server.DataDir, "workspaces", session.MachineId);
        var bytes = WriteTree(workspace);
        var agent = ProcFs.FindAgents(session.MachineId).First();
        var result = new Dictionary<string, object>
        {
            ["snapshot_files"] = Files,
            ["snapshot_workspace_mb"] = Math.Round(bytes / 1048576.0, 1),
            ["snapshot_rounds"] = rounds,
            ["snapshot_repeat"] = repeat,
            ["load_avg_1m_start"] = LoadAverage(),
        };

        var first = await SnapshotAsync(1, _ => { });
        var tarFirst = await TarAsync(workspace, ct);
        Expect("taken", first.Outcome);
        Put("first", [first], [tarFirst]);

        var changes = 0;
        List<Measured> changed = [], unchanged = [];
        List<(double Wall, double Cpu)> tarChanged = [], tarUnchanged = [];
        for (var round = 0; round < rounds; round++)
        {
            changed.Add(await SnapshotAsync(repeat, _ => File.AppendAllText(FileToChange(workspace, changes++), "one more line\n")));
            Expect("taken", changed[^1].Outcome);
            tarChanged.Add(await TarAsync(workspace, ct));
            unchanged.Add(await SnapshotAsync(repeat, _ => { }));
            Expect("unchanged", unchanged[^1].Outcome);
            tarUnchanged.Add(await TarAsync(workspace, ct));
        }

        Put("one_changed", changed, tarChanged);
        Put("unchanged", unchanged, tarUnchanged);
        result["load_avg_1m_end"] = LoadAverage();
        return result;

        // The mean wall and CPU seconds of `count` snapshots in a row, each after `prepare`.
        async Task<Measured> SnapshotAsync(int count, Action<int> prepare)
        {
            double wall = 0, cpu = 0;
            var outcome = "";
            for (var i = 0; i < count; i++)
            {
                prepare(i);
                var cpuBefore = ProcFs.CpuSeconds(server.Pid) + ProcFs.CpuSeconds(agent);
                var sw = Stopwatch.StartNew();
                outcome = (await client.TakeSnapshotAsync(session.Label, ct)).Outcome;
                wall += sw.Elapsed.TotalSeconds;
                cpu += ProcFs.CpuSeconds(server.Pid) + ProcFs.CpuSeconds(agent) - cpuBefore;
            }

            return new Measured(wall / count, cpu / count, outcome);
        }

        void Put(string name, List<Measured> ours, List<(double Wall, double Cpu)> tar)
        {
            result[$"snapshot_{name}_s"] = Math.Round(Median(ours.Select(m => m.Wall)), 4);
            result[$"snapshot_{name}_cpu_s"] = Math.Round(Median(ours.Select(m => m.Cpu)), 4);
            result[$"tar_czf_{name}_s"] = Math.Round(Median(tar.Select(t => t.Wall)), 3);
            result[$"tar_czf_{name}_cpu_s"] = Math.Round(Median(tar.Select(t => t.Cpu)), 2);
            result[$"ratio_{name}_wall"] = Math.Round(Median(ours.Zip(tar, (o, t) => o.Wall / t.Wall)), 4);
            result[$"ratio_{name}_cpu"] = Math.Round(Median(ours.Zip(tar, (o, t) => o.Cpu / t.Cpu)), 4);
            result[$"ratio_{name}_wall_per_round"] = ours.Zip(tar, (o, t) => Math.Round(o.Wall / t.Wall, 4)).ToArray();
        }
    }

    private sealed record Measured(double Wall, double Cpu, string Outcome);

    private static void Expect(string wanted, string outcome)
    {
        if (outcome != wanted)
        {
            throw new InvalidOperationException($"a snapshot was {outcome}, expected {wanted}");
        }
    }

    /// <summary>A different file for each change, spread over the folders.</summary>
    private static string FileToChange(string workspace, int change)
    {
        var index = (change * 137 + 50) % Files;
        return Path.Combine(workspace, $"d{index / 100:D3}", $"f{index:D5}.txt");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>100 folders of 100 text-like files (about 10 KiB each, compressible like source code).</summary>
    private static long WriteTree(string workspace)
    {
        var random = new Random(42);
        string[] words = ["catty", "session", "workspace", "snapshot", "return", "var", "async", "await", "public", "string", "int", "if", "else", "for", "while", "{", "}", "(", ")", ";", "=", "+", "0x1f", "42", "name", "value", "count", "index"];
        long total = 0;
        var text = new StringBuilder();
        for (var d = 0; d < Files / 100; d++)
        {
            var dir = Path.Combine(workspace, $"d{d:D3}");
            Directory.CreateDirectory(dir);
            for (var f = 0; f < 100; f++)
            {
                text.Clear();
                while (text.Length < FileBytes)
                {
                    text.Append(words[random.Next(words.Length)]).Append(random.Next(12) == 0 ? '\n' : ' ');
                }

                var content = Encoding.UTF8.GetBytes(text.ToString());
                File.WriteAllBytes(Path.Combine(dir, $"f{d * 100 + f:D5}.txt"), content);
                total += content.Length;
            }
        }

        return total;
    }

    /// <summary><c>tar czf</c> of the tree to a temporary file: wall seconds and its CPU seconds (from the shell's <c>times</c>).</summary>
    private static async Task<(double Wall, double Cpu)> TarAsync(string workspace, CancellationToken ct)
    {
        var archive = Path.Combine(Path.GetTempPath(), $"catty-bench-{Guid.NewGuid():N}.tar.gz");
        var psi = new ProcessStartInfo("bash", ["-c", "tar czf \"$1\" -C \"$2\" . && times", "bench", archive, workspace]) { RedirectStandardOutput = true };
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var wall = sw.Elapsed.TotalSeconds;
        File.Delete(archive);
        // `times` prints the shell's then its children's "user system" as 0m1.234s pairs.
        var children = output.Trim().Split('\n')[^1].Split(' ');
        return (wall, children.Sum(Seconds));
    }

    private static double Seconds(string value)
    {
        var m = value.IndexOf('m', StringComparison.Ordinal);
        return (int.Parse(value[..m], CultureInfo.InvariantCulture) * 60) + double.Parse(value[(m + 1)..].TrimEnd('s'), CultureInfo.InvariantCulture);
    }
}
