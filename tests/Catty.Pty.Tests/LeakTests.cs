using System.Diagnostics;
using Xunit.Abstractions;

namespace Catty.Pty.Tests;

/// <summary>Runs alone: it counts this process's fds and children, which parallel tests would disturb.</summary>
[CollectionDefinition(nameof(LeakTests), DisableParallelization = true)]
public sealed class LeakTestsCollection;

[Collection(nameof(LeakTests))]
public sealed class LeakTests(ITestOutputHelper output)
{
    private const int Spawns = 300;

    [Fact]
    public async Task Sequential_spawns_leak_no_fds_and_leave_no_zombies()
    {
        await RunOnceAsync(); // lets the runtime open whatever it opens lazily
        var fdsBefore = OpenFds();
        var buffer = new byte[4096];
        long spawnTicks = 0;
        long allStart = Stopwatch.GetTimestamp();

        for (int i = 0; i < Spawns; i++)
        {
            long start = Stopwatch.GetTimestamp();
            using var pty = PtyProcess.Start(new PtyStartOptions(["/bin/sh", "-c", $"echo run {i}"]));
            spawnTicks += Stopwatch.GetTimestamp() - start;

            while (pty.Read(buffer) > 0)
            {
            }

            using var cts = new CancellationTokenSource(TerminalSession.Deadline);
            Assert.Equal(new PtyExitStatus(0, null), await pty.WaitForExitAsync(cts.Token));
        }

        double msPerSpawn = Stopwatch.GetElapsedTime(0, spawnTicks).TotalMilliseconds / Spawns;
        double msPerRun = Stopwatch.GetElapsedTime(allStart).TotalMilliseconds / Spawns;
        output.WriteLine($"PtyProcess.Start: {msPerSpawn:F2} ms on average over {Spawns} spawns; start to reaped: {msPerRun:F2} ms");
        Assert.Equal(fdsBefore, OpenFds());
        Assert.Empty(Zombies());
    }

    [Fact]
    public void Command_not_found_is_a_clear_error_and_leaks_no_fd()
    {
        var fdsBefore = OpenFds();

        var e = Assert.Throws<PtyException>(() => PtyProcess.Start(new PtyStartOptions(["catty-no-such-command"])));

        Assert.Equal(2, e.Errno);
        Assert.Contains("catty-no-such-command", e.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", e.Message, StringComparison.Ordinal);
        Assert.Equal(fdsBefore, OpenFds());
        Assert.Empty(Zombies());
    }

    private static async Task RunOnceAsync()
    {
        using var pty = PtyProcess.Start(new PtyStartOptions(["true"]));
        while (pty.Read(new byte[256]) > 0)
        {
        }

        await pty.WaitForExitAsync();
    }

    /// <summary>Each open fd with what it points to, so a failure shows what leaked.</summary>
    private static List<string> OpenFds() =>
        [.. new DirectoryInfo("/proc/self/fd").GetFileSystemInfos()
            .Select(fd => $"{fd.Name} -> {fd.LinkTarget}")
            .Where(fd => !fd.EndsWith("/fd", StringComparison.Ordinal)) // the listing's own fd
            .Order(StringComparer.Ordinal)];

    /// <summary>Our children in state Z: exited but not reaped.</summary>
    private static List<string> Zombies()
    {
        int self = Environment.ProcessId;
        var zombies = new List<string>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // exited while we looked
            }

            // pid (comm) state ppid ...; comm may contain spaces and parentheses.
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (rest[0] == "Z" && rest[1] == self.ToString(System.Globalization.CultureInfo.InvariantCulture))
                zombies.Add(stat);
        }

        return zombies;
    }
}
