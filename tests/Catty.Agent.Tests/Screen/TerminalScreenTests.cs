using System.Text;
using Catty.Agent.Screen;

namespace Catty.Agent.Tests.Screen;

/// <summary>The model on its own: text, cursor, bad input, bounds.</summary>
public sealed class TerminalScreenTests
{
    private static TerminalScreen Feed(string text, int cols = 20, int rows = 5)
    {
        var screen = new TerminalScreen(cols, rows);
        screen.Feed(Encoding.UTF8.GetBytes(text));
        return screen;
    }

    private static string[] Lines(TerminalScreen screen) => screen.GetScreenText().Split('\n');

    [Fact]
    public void Text_and_cursor_follow_the_output()
    {
        var screen = Feed("hello\r\nworld  \r\n\u001b[1;31mred\u001b[0m");
        Assert.Equal(["hello", "world", "red", "", ""], Lines(screen));
        Assert.Equal((2, 3), screen.Cursor);
        Assert.False(screen.AlternateScreen);
        Assert.Null(screen.Title);
    }

    [Fact]
    public void Wide_characters_take_two_columns()
    {
        var screen = Feed("中文👍x");
        Assert.Equal("中文👍x", Lines(screen)[0]);
        Assert.Equal((0, 7), screen.Cursor);
    }

    [Fact]
    public void Line_drawing_charset_maps_to_box_characters()
    {
        var screen = Feed("\u001b(0lqqk\r\nx  x\r\nmqqj\u001b(B ok");
        Assert.Equal(["┌──┐", "│  │", "└──┘ ok"], Lines(screen)[..3]);
    }

    [Fact]
    public void Alternate_screen_and_title_are_reported()
    {
        var screen = Feed("\u001b]0;my title\u0007\u001b[?1049hfull screen");
        Assert.True(screen.AlternateScreen);
        Assert.Equal("my title", screen.Title);
        screen.Feed("\u001b[?1049l"u8);
        Assert.False(screen.AlternateScreen);
        Assert.Equal("", Lines(screen)[0]);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', 0x80, (byte)'b' }, "a\uFFFDb")]
    [InlineData(new byte[] { (byte)'a', 0xFF, (byte)'b' }, "a\uFFFDb")]
    [InlineData(new byte[] { 0xE4, 0xB8, (byte)'x' }, "\uFFFDx")]
    [InlineData(new byte[] { 0xC0, 0xAF, (byte)'x' }, "\uFFFD\uFFFDx")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80, (byte)'x' }, "\uFFFD\uFFFD\uFFFDx")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80, (byte)'x' }, "\uFFFD\uFFFD\uFFFD\uFFFDx")]
    [InlineData(new byte[] { 0xF0, 0x9F, 0x91, (byte)'x' }, "\uFFFDx")]
    public void Invalid_utf8_becomes_replacement_characters_and_nothing_after_is_lost(byte[] input, string expected)
    {
        var screen = new TerminalScreen(20, 3);
        screen.Feed(input);
        Assert.Equal(expected, Lines(screen)[0]);
    }

    [Fact]
    public void Characters_and_sequences_split_across_reads_are_put_back_together()
    {
        var whole = Encoding.UTF8.GetBytes("中\u001b[1;38;2;10;20;30mX\u001b]2;t\u00eftle\u001b\\👍\u001b[?2004h");
        var split = new TerminalScreen(20, 5);
        foreach (byte b in whole)
        {
            split.Feed([b]);
        }
        var once = new TerminalScreen(20, 5);
        once.Feed(whole);
        Assert.Equal(once.GetScreenText(), split.GetScreenText());
        Assert.Equal("tïtle", split.Title);
        Assert.Equal(once.Serialize(), split.Serialize());
    }

    [Fact]
    public void Unknown_and_malformed_sequences_are_consumed_without_side_effects()
    {
        var screen = Feed(
            "a\u001b[?9999h\u001b[99;99;99zb\u001b]1337;File=x:aGk=\u0007c\u001bP+q544e\u001b\\d\u001b_apc\u001b\\e" +
            "\u001b#3f\u001b[999999999999999999mg\u001b[" + string.Join(';', Enumerable.Range(1, 100)) + "mh" +
            "\u001b[1;2;3\u0000x\u001b[>c\u001b[6n\u001bZi");
        // A NUL inside a sequence is ignored, so "x" ends "CSI 1;2;3 x", which is not acted on.
        Assert.Equal("abcdefghi", Lines(screen)[0]);
        var replay = Encoding.UTF8.GetString(screen.Serialize());
        Assert.DoesNotContain("9999h", replay, StringComparison.Ordinal);
        Assert.DoesNotContain("1337", replay, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_osc_is_dropped_and_parsing_continues()
    {
        var screen = Feed("\u001b]2;short\u0007\u001b]2;" + new string('t', 100_000) + "\u0007after");
        Assert.Equal("short", screen.Title);
        Assert.Equal("after", Lines(screen)[0]);
    }

    [Fact]
    public void Serialize_ends_with_an_unfinished_sequence_so_the_client_completes_it()
    {
        var screen = Feed("text\u001b[1;3");
        var replay = screen.Serialize();
        Assert.EndsWith("\u001b[1;3", Encoding.UTF8.GetString(replay), StringComparison.Ordinal);
        screen.Feed("1mred"u8);
        Assert.True(screen.PendingBytes.IsEmpty);
        Assert.DoesNotContain("\u001b[1;3", Encoding.UTF8.GetString(screen.Serialize())[^12..], StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_rejects_sizes_no_terminal_has()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TerminalScreen(1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TerminalScreen(80, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TerminalScreen(80, 24, -1));
    }

    [Fact]
    public void Scrollback_and_memory_stay_bounded_over_50_MB_of_output()
    {
        var screen = new TerminalScreen(100, 30, scrollbackLines: 2000);
        var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i =>
            $"\u001b[3{i % 8}m{i,6}\u001b[0m log line with some text 中文 and more text to fill the row\r\n")));
        for (int i = 0; i < 4; i++)
        {
            screen.Feed(chunk);
        }
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long fed = 0;
        while (fed < 50L << 20)
        {
            screen.Feed(chunk);
            fed += chunk.Length;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(2000, screen.ScrollbackCount);
        Assert.Equal(2030, screen.GetNormalLines().Count);
        // Rows are recycled: steady-state feeding allocates next to nothing.
        Assert.True(allocated < 1 << 20, $"feeding 50 MB allocated {allocated} bytes");
        Assert.EndsWith("and more text to fill the row", screen.GetNormalLines()[^2], StringComparison.Ordinal);
    }

    [Fact]
    public void Combining_text_does_not_grow_memory_without_bound()
    {
        var screen = new TerminalScreen(40, 10, scrollbackLines: 50);
        var sb = new StringBuilder();
        for (int i = 0; i < 30_000; i++)
        {
            sb.Append((char)(0x4E00 + (i % 20000))).Append('\u0301').Append(i % 10 == 9 ? "\r\n" : " ");
        }
        screen.Feed(Encoding.UTF8.GetBytes(sb.ToString()));
        // At most (rows + scrollback) × cols cells can hold a combined character.
        Assert.True(screen.Graphemes.Count <= 4096 + (60 * 40), $"{screen.Graphemes.Count} entries kept");
        Assert.Contains('\u0301', screen.GetScreenText());
    }

    [Fact]
    public void Many_distinct_hyperlinks_keep_the_newest_ones_linked()
    {
        var screen = new TerminalScreen(40, 5, scrollbackLines: 10);
        for (int i = 0; i < 1000; i++)
        {
            screen.Feed(Encoding.UTF8.GetBytes($"\u001b]8;;https://example.test/{i}\u001b\\link {i}\u001b]8;;\u001b\\\r\n"));
        }
        var replay = Encoding.UTF8.GetString(screen.Serialize());
        Assert.Contains("https://example.test/999", replay, StringComparison.Ordinal);
        Assert.DoesNotContain("https://example.test/0\u001b", replay, StringComparison.Ordinal);
    }
}
