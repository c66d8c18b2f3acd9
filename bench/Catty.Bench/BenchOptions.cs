using System.Globalization;

namespace Catty.Bench;

/// <summary>Command-line options; see bench/README.md.</summary>
internal sealed record BenchOptions(
    string ServerDll, IReadOnlyList<string> CompareDlls, string? Ttyd, int Probes, int EchoRounds, int Megabytes, int ThroughputRuns,
    int Sessions, int CreateRuns, int ReopenRuns, bool Snapshots, int Rounds, int Repeat, bool Fairness = false, int Busy = 20)
{
    public static BenchOptions Parse(string[] args)
    {
        string? server = null, ttyd = FindOnPath("ttyd");
        int probes = 2000, echoRounds = 10, mb = 200, throughputRuns = 3, sessions = 20, createRuns = 10, reopenRuns = 50, rounds = 3, repeat = 10;
        var snapshots = false;
        var fairness = false;
        var busy = 20;
        var compare = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--server": server = value; i++; break;
                case "--compare": compare.Add(value); i++; break;
                case "--ttyd": ttyd = value; i++; break;
                case "--no-ttyd": ttyd = null; break;
                case "--probes": probes = Int(value); i++; break;
                case "--echo-rounds": echoRounds = Int(value); i++; break;
                case "--mb": mb = Int(value); i++; break;
                case "--throughput-runs": throughputRuns = Int(value); i++; break;
                case "--sessions": sessions = Int(value); i++; break;
                case "--create-runs": createRuns = Int(value); i++; break;
                case "--reopen-runs": reopenRuns = Int(value); i++; break;
                case "--snapshots": snapshots = true; break;
                case "--fairness": fairness = true; break;
                case "--busy": busy = Int(value); i++; break;
                case "--rounds": rounds = Int(value); i++; break;
                case "--repeat": repeat = Int(value); i++; break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        if (args.Contains("--ttyd") is false && args.Contains("--no-ttyd") is false && ttyd is null && !snapshots && !fairness)
        {
            throw new ArgumentException("ttyd is not installed (scripts/install-ttyd.sh installs it); pass --no-ttyd to measure without it");
        }

        return new BenchOptions(
            server ?? throw new ArgumentException("--server PATH/catty-server.dll is required"), compare, ttyd, probes,
            Math.Max(1, echoRounds), mb, Math.Max(1, throughputRuns), sessions, createRuns, reopenRuns, snapshots, Math.Max(1, rounds), Math.Max(1, repeat), fairness, Math.Max(1, busy));
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
