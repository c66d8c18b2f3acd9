using System.Text.Json.Nodes;
using Catty.Agent.Screen;

namespace Catty.Agent.Tests.Screen;

/// <summary>The outcome of one stream: the model, its replay bytes and what xterm.js shows for both.</summary>
internal sealed record ReplayOutcome(
    ScreenStream Stream,
    TerminalScreen Model,
    byte[] Replay,
    byte[] SplitReplay,
    JsonObject Original,
    JsonObject Replayed);

/// <summary>
/// Feeds every synthetic stream to the model, serializes it, and renders both the stream and the
/// replay in a single xterm.js run shared by all tests of the class.
/// </summary>
public sealed class SyntheticReplayFixture
{
    private readonly Dictionary<string, ReplayOutcome> _outcomes = [];

    public SyntheticReplayFixture()
    {
        var cases = new List<RenderCase>();
        var prepared = new List<(ScreenStream Stream, TerminalScreen Model, byte[] Replay, byte[] SplitReplay)>();
        foreach (var s in SyntheticStreams.All)
        {
            var model = ScreenFeeding.Whole(s);
            var replay = model.Serialize();
            var split = ScreenFeeding.Split(s, ScreenFeeding.StableSeed(s.Name)).Serialize();
            prepared.Add((s, model, replay, split));
            cases.Add(RenderCase.Of(s.Name + "/original", s.Cols, s.Rows, s.Scrollback, s.Bytes));
            cases.Add(RenderCase.Of(s.Name + "/replay", s.Cols, s.Rows, s.Scrollback, replay));
        }
        var rendered = XtermReference.Render(cases);
        foreach (var (s, model, replay, split) in prepared)
        {
            _outcomes[s.Name] = new ReplayOutcome(s, model, replay, split,
                rendered[s.Name + "/original"], rendered[s.Name + "/replay"]);
        }
    }

    internal ReplayOutcome this[string name] => _outcomes[name];
}
