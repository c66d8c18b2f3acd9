using System.Text.Json.Nodes;
using Catty.Agent.Screen;

namespace Catty.Agent.Tests.Screen;

/// <summary>
/// Recorded output of real programs at 100x30 (vim and less over a shell prompt, top refreshing
/// twice, a long coloured ls), cut at several points, some inside escape sequences. At each cut a
/// client attaches: it is sent the replay, then the rest of the stream.
/// </summary>
public sealed class CaptureReplayFixture
{
    internal const int Cuts = 9;

    internal static readonly (string File, int Scrollback)[] Captures =
    [
        ("vim.bin", 2000),
        ("less.bin", 2000),
        ("top.bin", 2000),
        ("ls-color.bin", 2000),
        ("ls-color.bin", 300),
    ];

    private readonly Dictionary<string, (TerminalScreen Model, byte[] Replay, JsonObject Original, JsonObject Replayed,
        JsonObject Full, JsonObject Continued)> _outcomes = [];

    public CaptureReplayFixture()
    {
        var cases = new List<RenderCase>();
        var prepared = new List<(string Id, string FullId, TerminalScreen Model, byte[] Replay)>();
        foreach (var (file, scrollback) in Captures)
        {
            var bytes = File.ReadAllBytes(Path.Combine(XtermReference.FixtureDir, file));
            string fullId = $"{file}@{scrollback}";
            cases.Add(RenderCase.Of(fullId, 100, 30, scrollback, bytes));
            foreach (int cut in CutPoints(bytes.Length, ScreenFeeding.StableSeed(file)))
            {
                string id = Id(file, scrollback, cut);
                var model = ScreenFeeding.Split(100, 30, scrollback, bytes[..cut], ScreenFeeding.StableSeed(id));
                var replay = model.Serialize();
                cases.Add(RenderCase.Of(id + "/original", 100, 30, scrollback, bytes[..cut]));
                cases.Add(RenderCase.Of(id + "/replay", 100, 30, scrollback, replay));
                cases.Add(RenderCase.Of(id + "/continued", 100, 30, scrollback, [.. replay, .. bytes[cut..]]));
                prepared.Add((id, fullId, model, replay));
            }
        }
        var rendered = XtermReference.Render(cases);
        foreach (var (id, fullId, model, replay) in prepared)
        {
            _outcomes[id] = (model, replay, rendered[id + "/original"], rendered[id + "/replay"], rendered[fullId],
                rendered[id + "/continued"]);
        }
        CutIds = [.. prepared.Select(p => p.Id)];
    }

    internal IReadOnlyList<string> CutIds { get; }

    internal (TerminalScreen Model, byte[] Replay, JsonObject Original, JsonObject Replayed, JsonObject Full,
        JsonObject Continued) this[string id] => _outcomes[id];

    internal static string Id(string file, int scrollback, int cut) => $"{file}@{scrollback}#{cut}";

    /// <summary>Evenly spread cuts ending with the whole stream, plus seeded random ones.</summary>
    internal static IEnumerable<int> CutPoints(int length, int seed)
    {
        var random = new Random(seed);
        var cuts = new SortedSet<int>();
        for (int k = 1; k <= 6; k++)
        {
            cuts.Add(length * k / 6);
        }
        while (cuts.Count < Cuts)
        {
            cuts.Add(random.Next(1, length));
        }
        return cuts;
    }
}

public sealed class CaptureReplayTests(CaptureReplayFixture fixture) : IClassFixture<CaptureReplayFixture>
{
    public static TheoryData<string, int, int> Cuts
    {
        get
        {
            var data = new TheoryData<string, int, int>();
            foreach (var (file, scrollback) in CaptureReplayFixture.Captures)
            {
                for (int i = 0; i < CaptureReplayFixture.Cuts; i++)
                {
                    data.Add(file, scrollback, i);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cuts))]
    public void Attaching_at_a_cut_shows_the_same_screen_now_and_after_the_rest(string file, int scrollback, int cutIndex)
    {
        string prefix = $"{file}@{scrollback}#";
        string id = fixture.CutIds.Where(c => c.StartsWith(prefix, StringComparison.Ordinal)).ElementAt(cutIndex);
        var o = fixture[id];
        ReplayAssert.ModelMatchesReference(id, o.Model, o.Original);
        ReplayAssert.SameClientState(id + " (at the cut)", o.Original, o.Replayed, o.Replay);
        ReplayAssert.SameClientState(id + " (after the rest of the stream)", o.Full, o.Continued, o.Replay);
    }
}
