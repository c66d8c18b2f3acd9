using Catty.Agent.Screen;

namespace Catty.Agent.Tests.Screen;

/// <summary>Ways to push a stream into a model, the way a PTY delivers it: in arbitrary pieces.</summary>
internal static class ScreenFeeding
{
    public static TerminalScreen Whole(ScreenStream s)
    {
        var screen = new TerminalScreen(s.Cols, s.Rows, s.Scrollback);
        screen.Feed(s.Bytes);
        return screen;
    }

    /// <summary>Feeds in random piece sizes (mostly tiny, some large) so sequences and characters get split.</summary>
    public static TerminalScreen Split(ScreenStream s, int seed) => Split(s.Cols, s.Rows, s.Scrollback, s.Bytes, seed);

    public static TerminalScreen Split(int cols, int rows, int scrollback, byte[] bytes, int seed)
    {
        var screen = new TerminalScreen(cols, rows, scrollback);
        FeedSplit(screen, bytes, seed);
        return screen;
    }

    public static void FeedSplit(TerminalScreen screen, ReadOnlySpan<byte> bytes, int seed)
    {
        var random = new Random(seed);
        int i = 0;
        while (i < bytes.Length)
        {
            int size = random.Next(4) == 0 ? random.Next(1, 512) : random.Next(1, 8);
            size = Math.Min(size, bytes.Length - i);
            screen.Feed(bytes.Slice(i, size));
            i += size;
        }
    }

    /// <summary>A seed that stays the same from run to run (string.GetHashCode does not).</summary>
    public static int StableSeed(string text)
    {
        int h = 17;
        foreach (char c in text)
        {
            h = unchecked((h * 31) + c);
        }
        return h;
    }
}
