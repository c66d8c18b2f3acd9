using System.Text;
using Catty.Agent.Screen;

namespace Catty.Agent.Tests.Screen;

/// <summary>
/// A megabyte of each kind of typical output (plain lines, SGR-heavy listings, wide characters, full-screen
/// redraws), fed in PTY-sized pieces, leaves the model in the expected state. Speed is not a unit test's
/// business: the terminal path's throughput is measured by <c>make bench</c>.
/// </summary>
public sealed class ScreenWorkloadTests
{

    [Fact]
    public void Plain_ascii_lines()
    {
        var chunk = Repeat(i => $"{i,8} the quick brown fox jumps over the lazy dog, again and again\r\n");
        var screen = Feed(chunk);
        Assert.EndsWith("the quick brown fox jumps over the lazy dog, again and again", screen.GetScreenText().Split('\n')[^2]);
    }

    [Fact]
    public void Sgr_heavy_colored_listing()
    {
        var chunk = Repeat(i =>
            $"\u001b[0m\u001b[01;34mdirectory-{i}\u001b[0m  \u001b[01;32mrun.sh\u001b[0m  \u001b[38;5;208mnotes\u001b[0m  " +
            $"\u001b[38;2;10;200;30;48;2;0;0;64mrgb\u001b[0m \u001b[1;4;31merror\u001b[22;24;39m done\r\n");
        var screen = Feed(chunk);
        Assert.Contains("run.sh", screen.GetScreenText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cjk_and_emoji_text()
    {
        var chunk = Repeat(i => $"{i} 中文字符混合 English テキスト 한국어 👍🎉 café\r\n");
        var screen = Feed(chunk);
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
        var screen = Feed(chunk);
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

    private static TerminalScreen Feed(byte[] chunk)
    {
        var screen = new TerminalScreen(100, 30);
        // PTY reads arrive in pieces of a few KB; feed the same way.
        for (int offset = 0; offset < chunk.Length; offset += 16384)
        {
            screen.Feed(chunk.AsSpan(offset, Math.Min(16384, chunk.Length - offset)));
        }
        return screen;
    }
}
