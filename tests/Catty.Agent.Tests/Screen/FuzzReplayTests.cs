using System.Text.Json.Nodes;
using Catty.Agent.Screen;

namespace Catty.Agent.Tests.Screen;

/// <summary>Renders every seeded random stream and its replay in one xterm.js run.</summary>
public sealed class FuzzReplayFixture
{
    internal const int Seeds = 150;

    private readonly Dictionary<int, (ScreenStream Stream, TerminalScreen Model, byte[] Replay, JsonObject Original,
        JsonObject Replayed)> _outcomes = [];

    public FuzzReplayFixture()
    {
        var cases = new List<RenderCase>();
        var models = new List<(ScreenStream, TerminalScreen, byte[])>();
        for (int seed = 1; seed <= Seeds; seed++)
        {
            var s = FuzzStreams.Make(seed);
            var model = ScreenFeeding.Split(s, seed);
            var replay = model.Serialize();
            models.Add((s, model, replay));
            cases.Add(RenderCase.Of(s.Name + "/original", s.Cols, s.Rows, s.Scrollback, s.Bytes));
            cases.Add(RenderCase.Of(s.Name + "/replay", s.Cols, s.Rows, s.Scrollback, replay));
        }
        var rendered = XtermReference.Render(cases);
        int n = 1;
        foreach (var (s, model, replay) in models)
        {
            _outcomes[n++] = (s, model, replay, rendered[s.Name + "/original"], rendered[s.Name + "/replay"]);
        }
    }

    internal (ScreenStream Stream, TerminalScreen Model, byte[] Replay, JsonObject Original, JsonObject Replayed) this[int seed] =>
        _outcomes[seed];
}

/// <summary>Differential tests on random streams: the model against xterm.js, and the replay against the stream.</summary>
public sealed class FuzzReplayTests(FuzzReplayFixture fixture) : IClassFixture<FuzzReplayFixture>
{
    public static TheoryData<int> Seeds => new(Enumerable.Range(1, FuzzReplayFixture.Seeds));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_stream_replays_exactly(int seed)
    {
        var o = fixture[seed];
        ReplayAssert.ModelMatchesReference(o.Stream.Name, o.Model, o.Original);
        ReplayAssert.SameClientState(o.Stream.Name, o.Original, o.Replayed, o.Replay);
    }
}
