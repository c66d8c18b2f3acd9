using Microsoft.Win32.SafeHandles;

namespace Catty.Pty.Tests;

public sealed class InheritedHandlesTests
{
    [Fact]
    public void Handles_arrive_as_3_and_4_in_order_and_nothing_else_above_2_is_open()
    {
        using var firstRead = FileHolding("first-data");
        using var secondRead = FileHolding("second-data");
        {
            // Passed in the opposite order of their numbers, so a naive dup2 would overwrite one with the other.
            var handles = new[] { secondRead, firstRead };
            var options = new PtyStartOptions(["sh", "-c", "cat <&3; echo; cat <&4; echo; ls /proc/self/fd | sort -n | tr '\\n' ' '; echo '<end>'"])
            {
                Environment = TerminalSession.BaseEnvironment(),
                InheritedHandles = handles,
            };
            using var term = TerminalSession.Start(options);

            var text = term.ReadUntil("<end>");

            Assert.Contains("second-data\r\nfirst-data\r\n", text, StringComparison.Ordinal);
            // ls itself opens one directory descriptor (3 here, after the shell closed nothing): 0 1 2 3 4 and
            // its own listing at most; no descriptor of this test process beyond those.
            var fds = text[(text.IndexOf("first-data\r\n", StringComparison.Ordinal) + 12)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .TakeWhile(f => f != "<end>").Select(int.Parse).ToList();
            Assert.Equal([0, 1, 2, 3, 4], fds.Take(5));
            Assert.True(fds.Count <= 6, string.Join(' ', fds));
        }
    }

    [Fact]
    public void A_closed_handle_is_rejected_before_anything_starts()
    {
        var read = FileHolding("x");
        read.Dispose();

        var e = Assert.Throws<ArgumentException>(() => PtyProcess.Start(new PtyStartOptions(["true"]) { InheritedHandles = [read] }));
        Assert.Contains("InheritedHandles[0]", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A read-only descriptor of a fresh file holding <paramref name="text"/> (already unlinked).</summary>
    private static SafeFileHandle FileHolding(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "catty-pty-fd-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text);
        var handle = File.OpenHandle(path);
        File.Delete(path);
        return handle;
    }
}
