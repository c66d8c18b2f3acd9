using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Catty.Agent.Screen;
using Xunit.Abstractions;

namespace Catty.Agent.Tests.Screen;

/// <summary>
/// Feed throughput on typical output, printed in MB/s (run with -c Release and a detailed
/// console logger to read the numbers). Speed is not asserted, only that the model ends in the
/// expected state; the numbers are a benchmark, not a gate.
/// </summary>
[Collection(nameof(ThroughputTests))]
public sealed class ThroughputTests(ITestOutputHelper output)
{
    private const int TargetBytes = 24 << 20;
    private const int Trials = 6;

    [Fact]
    public void Plain_ascii_lines()
    {
        var chunk = Repeat(i => $"{i,8} the quick brown fox jumps over the lazy dog, again and again\r\n");
        var screen = Measure("ascii lines", chunk);
        Assert.EndsWith("the quick brown fox jumps over the lazy dog, again and again", screen.GetScreenText().Split('\n')[^2]);
    }

    [Fact]
    public void Sgr_heavy_colored_listing()
    {
        var chunk = Repeat(i =>
            $"\u001b[0m\u001b[01;34mdirectory-{i}\u001b[0m  \u001b[01;32mrun.sh\u001b[0m  \u001b[38;5;208mnotes\u001b[0m  " +
            $"\u001b[38;2;10;200;30;48;2;0;0;64mrgb\u001b[0m \u001b[1;4;31merror\u001b[22;24;39m done\r\n");
        var screen = Measure("sgr-heavy", chunk);
        Assert.Contains("run.sh", screen.GetScreenText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cjk_and_emoji_text()
    {
        var chunk = Repeat(i => $"{i} 中文字符混合 English テキスト 한국어 👍🎉 café\r\n");
        var screen = Measure("utf-8 wide", chunk);
        Assert.Contains("👍🎉 café", screen.GetScreenText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Full_screen_redraws()
    {
        var frame = new StringBuilder("\u001b[H");
        for (int row = 1; row <= 30; row++)
        {
            frame.Append($"\u001b[{row};1H\u001b[7m{row,3}\u001b[27m \u001b[33mcolumn text for row {row}\u001b[0m\u001b[K");
        }
        frame.Append("\u001b[30;1H-- INSERT --\u001b[5;10H");
        var chunk = Repeat(_ => frame.ToString(), altScreen: true);
        var screen = Measure("full-screen redraw", chunk);
        Assert.Contains("-- INSERT --", screen.GetScreenText(), StringComparison.Ordinal);
        Assert.True(screen.AlternateScreen);
    }

    private static byte[] Repeat(Func<int, string> line, bool altScreen = false)
    {
        var sb = new StringBuilder(altScreen ? "\u001b[?1049h" : string.Empty);
        for (int i = 0; sb.Length < 1 << 20; i++)
        {
            sb.Append(line(i));
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private TerminalScreen Measure(string name, byte[] chunk)
    {
        var screen = new TerminalScreen(100, 30);
        // Warm up until the JIT has compiled the hot paths fully.
        for (int i = 0; i < 12; i++)
        {
            screen.Feed(chunk);
        }
        // Best of several trials, timed by this thread's CPU time: on a shared machine that is the
        // closest to the code's own speed (wall-clock time is printed too).
        int rounds = Math.Max(1, TargetBytes / Trials / chunk.Length);
        double bestCpu = double.MaxValue;
        double bestWall = double.MaxValue;
        for (int trial = 0; trial < Trials; trial++)
        {
            double cpu = ThreadCpuSeconds();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < rounds; i++)
            {
                // PTY reads arrive in pieces of a few KB; feed the same way.
                for (int offset = 0; offset < chunk.Length; offset += 16384)
                {
                    screen.Feed(chunk.AsSpan(offset, Math.Min(16384, chunk.Length - offset)));
                }
            }
            bestWall = Math.Min(bestWall, watch.Elapsed.TotalSeconds);
            bestCpu = Math.Min(bestCpu, ThreadCpuSeconds() - cpu);
        }
        double mb = (double)rounds * chunk.Length / (1 << 20);
        output.WriteLine($"{name}: {mb / bestCpu:F0} MB/s CPU, {mb / bestWall:F0} MB/s wall (best of {Trials} x {mb:F0} MB)");
        return screen;
    }

    private static double ThreadCpuSeconds()
    {
        const int ThreadCpuClock = 3;
        return NativeClock.clock_gettime(ThreadCpuClock, out var t) == 0 ? t.Seconds + (t.Nanoseconds / 1e9) : 0;
    }

    private static class NativeClock
    {
        [StructLayout(LayoutKind.Sequential)]
        public struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        public static extern int clock_gettime(int clock, out Timespec time);
    }
}

/// <summary>Runs the throughput tests alone, after the others, so they do not share the CPU.</summary>
[CollectionDefinition(nameof(ThroughputTests), DisableParallelization = true)]
public sealed class ThroughputCollection;
