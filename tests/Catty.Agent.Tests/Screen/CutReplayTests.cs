using System.Text.Json.Nodes;
using Catty.Agent.Screen;

namespace Catty.Agent.Tests.Screen;

/// <summary>
/// A client attaching in the middle of a sequence or character: it gets the replay, then the
/// rest of the stream, and must end up where a client that saw everything is. Also invalid
/// UTF-8, where xterm.js drops bytes the model shows as U+FFFD: the replay must still draw the
/// model's screen.
/// </summary>
public sealed class CutReplayFixture
{
    internal static readonly (string Name, byte[] Before, byte[] After)[] Cuts =
    [
        ("inside-sgr", "abc\u001b[1;3"u8.ToArray(), "1mred\r\nnext"u8.ToArray()),
        ("after-esc", "a\u001b"u8.ToArray(), "[31mb\u001b[0m"u8.ToArray()),
        ("inside-utf8", [(byte)'x', 0xE4, 0xB8], [0xAD, (byte)'y']),
        ("inside-osc-title", "\u001b]2;ti"u8.ToArray(), "tle\u0007 z"u8.ToArray()),
        ("inside-dcs", "\u001bP1$r"u8.ToArray(), "0m\u001b\\ after"u8.ToArray()),
        ("inside-alt-switch", "shell\r\n\u001b[?104"u8.ToArray(), "9h\u001b[Hfull"u8.ToArray()),
        ("inside-hyperlink", "\u001b]8;;http://x.test/"u8.ToArray(), "a\u001b\\link\u001b]8;;\u001b\\"u8.ToArray()),
    ];

    internal static readonly byte[] InvalidUtf8 = [(byte)'a', 0x80, 0xFF, (byte)'b', 0xC0, 0xAF, 0xED, 0xA0, 0x80, (byte)'\r', (byte)'\n', 0xE4, 0xB8, (byte)'c'];

    private readonly Dictionary<string, JsonObject> _rendered;

    public CutReplayFixture()
    {
        var cases = new List<RenderCase>();
        Models = [];
        foreach (var (name, before, after) in Cuts)
        {
            var model = new TerminalScreen(30, 6);
            model.Feed(before);
            Models[name] = model;
            cases.Add(RenderCase.Of(name + "/original", 30, 6, 100, [.. before, .. after]));
            cases.Add(RenderCase.Of(name + "/continued", 30, 6, 100, [.. model.Serialize(), .. after]));
        }
        var invalid = new TerminalScreen(30, 6);
        invalid.Feed(InvalidUtf8);
        Models["invalid-utf8"] = invalid;
        cases.Add(RenderCase.Of("invalid-utf8/replay", 30, 6, 100, invalid.Serialize()));
        _rendered = new Dictionary<string, JsonObject>(XtermReference.Render(cases));
    }

    internal Dictionary<string, TerminalScreen> Models { get; }

    internal JsonObject this[string id] => _rendered[id];
}

public sealed class CutReplayTests(CutReplayFixture fixture) : IClassFixture<CutReplayFixture>
{
    public static TheoryData<string> Cuts => new(CutReplayFixture.Cuts.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cuts))]
    public void Attaching_mid_sequence_then_receiving_the_rest_matches(string name)
    {
        ReplayAssert.SameClientState(name, fixture[name + "/original"], fixture[name + "/continued"],
            fixture.Models[name].Serialize());
    }

    [Fact]
    public void Invalid_utf8_replays_as_the_replacement_characters_the_model_shows()
    {
        var model = fixture.Models["invalid-utf8"];
        Assert.Equal("a\uFFFD\uFFFDb\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD", model.GetScreenText().Split('\n')[0]);
        ReplayAssert.ModelMatchesReference("invalid-utf8", model, fixture["invalid-utf8/replay"]);
    }
}
