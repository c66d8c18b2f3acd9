using System.Text;
using System.Text.Json.Nodes;
using Catty.Agent.Screen;

namespace Catty.Agent.Tests.Screen;

/// <summary>A stream, a resize, and more output after it.</summary>
internal sealed record ResizeScenario(string Name, int Cols, int Rows, string Before, int NewCols, int NewRows, string After,
    bool XtermAgrees = true)
{
    public override string ToString() => Name;
}

/// <summary>Renders each resize scenario (the stream with the resize in it, and the replay after it) in one run.</summary>
public sealed class ResizeReplayFixture
{
    private const string Csi = "\u001b[";

    internal static readonly ResizeScenario[] Scenarios =
    [
        new("rows-grow-pulls-scrollback", 40, 10, Lines(30, "out"), 40, 16, "after$ "),
        new("rows-shrink-drops-blank-rows", 40, 10, Lines(4, "out"), 40, 4, "after"),
        new("rows-shrink-pushes-scrollback", 40, 10, Lines(20, "out"), 40, 5, "after"),
        new("cols-grow", 40, 10, Lines(6, "short") + "$ ", 70, 10, "typed"),
        new("alt-shrink", 80, 24, $"shell\r\n{Csi}?1049h{Csi}H" + Lines(23, "vim line with some text in it") + $"{Csi}5;9H", 60, 20,
            $"{Csi}H{Csi}2Jredrawn{Csi}20;1H-- INSERT --"),
        new("alt-grow-then-leave", 60, 20, $"shell prompt\r\n{Csi}?1049h{Csi}HALT", 90, 30, $"{Csi}?1049lback$ "),
        new("scroll-region-reset", 40, 10, Lines(3, "x") + $"{Csi}2;6r", 40, 12, "\r\nafter"),
        new("pending-wrap-clamped", 40, 10, new string('w', 40), 40, 8, "z"),
        // Below, xterm.js reflows wrapped or long lines when the width changes; the model cuts them.
        // Only the replay of the model's own state is checked.
        new("cols-shrink-cuts-lines", 40, 10, Lines(5, new string('l', 35)) + "中文中文中文中文中文中文中文中文中文中文", 25, 10, "next", XtermAgrees: false),
        new("cols-shrink-wide-at-edge", 30, 6, "abc" + string.Concat(Enumerable.Repeat("中", 13)), 16, 6, "\r\nq", XtermAgrees: false),
        new("wrapped-lines-shrink", 30, 6, new string('a', 75) + "\r\n$ ", 20, 6, "ls", XtermAgrees: false),
    ];

    private readonly Dictionary<string, (TerminalScreen Model, byte[] Replay, JsonObject Original, JsonObject Replayed)> _outcomes = [];

    public ResizeReplayFixture()
    {
        var cases = new List<RenderCase>();
        var models = new List<(ResizeScenario, TerminalScreen, byte[])>();
        foreach (var s in Scenarios)
        {
            var model = new TerminalScreen(s.Cols, s.Rows, 100);
            model.Feed(Encoding.UTF8.GetBytes(s.Before));
            model.Resize(s.NewCols, s.NewRows);
            model.Feed(Encoding.UTF8.GetBytes(s.After));
            var replay = model.Serialize();
            models.Add((s, model, replay));
            cases.Add(new RenderCase(s.Name + "/original", s.Cols, s.Rows, 100,
            [
                RenderStep.Write(Encoding.UTF8.GetBytes(s.Before)),
                RenderStep.ResizeTo(s.NewCols, s.NewRows),
                RenderStep.Write(Encoding.UTF8.GetBytes(s.After)),
            ]));
            cases.Add(RenderCase.Of(s.Name + "/replay", s.NewCols, s.NewRows, 100, replay));
        }
        var rendered = XtermReference.Render(cases);
        foreach (var (s, model, replay) in models)
        {
            _outcomes[s.Name] = (model, replay, rendered[s.Name + "/original"], rendered[s.Name + "/replay"]);
        }
    }

    internal (TerminalScreen Model, byte[] Replay, JsonObject Original, JsonObject Replayed) this[string name] => _outcomes[name];

    private static string Lines(int count, string text) =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"{text} {i}\r\n"));
}

public sealed class ResizeReplayTests(ResizeReplayFixture fixture) : IClassFixture<ResizeReplayFixture>
{
    public static TheoryData<string> Agreeing =>
        new(ResizeReplayFixture.Scenarios.Where(s => s.XtermAgrees).Select(s => s.Name));

    public static TheoryData<string> All => new(ResizeReplayFixture.Scenarios.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Agreeing))]
    public void Resize_then_replay_matches_a_client_that_resized_too(string name)
    {
        var o = fixture[name];
        ReplayAssert.ModelMatchesReference(name, o.Model, o.Original);
        ReplayAssert.SameClientState(name, o.Original, o.Replayed, o.Replay);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Replay_after_resize_draws_the_model_screen(string name)
    {
        var o = fixture[name];
        ReplayAssert.ModelMatchesReference(name + " (replay)", o.Model, o.Replayed);
    }

    [Fact]
    public void Resize_clamps_the_cursor_and_keeps_the_content_in_view()
    {
        var screen = new TerminalScreen(40, 10);
        screen.Feed(Encoding.UTF8.GetBytes("top\r\n\u001b[10;40Hx"));
        screen.Resize(20, 5);
        Assert.Equal((4, 19), screen.Cursor);
        Assert.Equal(20, screen.Cols);
        Assert.Equal(5, screen.Rows);
        Assert.Equal(5, screen.GetScreenText().Split('\n').Length);
        Assert.All(screen.GetScreenText().Split('\n'), line => Assert.True(line.Length <= 20, line));
        Assert.Contains("top", string.Join('\n', screen.GetNormalLines()), StringComparison.Ordinal);
    }

    [Fact]
    public void Resize_rejects_sizes_no_terminal_has()
    {
        var screen = new TerminalScreen(40, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => screen.Resize(1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => screen.Resize(40, 0));
        Assert.Equal((40, 10), (screen.Cols, screen.Rows));
    }
}
