namespace Catty.Agent.Tests.Screen;

/// <summary>
/// For each hand-written stream S: a fresh xterm.js that receives Serialize(model(S)) shows the
/// same thing as one that received S itself: every line with its attributes and wrap mark,
/// scrollback, cursor, both screens, saved cursors, scroll regions, tab stops, modes, charsets,
/// pen and title.
/// </summary>
public sealed class SyntheticReplayTests(SyntheticReplayFixture fixture) : IClassFixture<SyntheticReplayFixture>
{
    public static TheoryData<string> Streams => new(SyntheticStreams.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Streams))]
    public void Replay_reproduces_the_client_state(string name)
    {
        var outcome = fixture[name];
        ReplayAssert.SameClientState(name, outcome.Original, outcome.Replayed, outcome.Replay);
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void Model_shows_what_xterm_shows(string name)
    {
        var outcome = fixture[name];
        ReplayAssert.ModelMatchesReference(name, outcome.Model, outcome.Original);
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void Split_feeding_gives_the_same_replay(string name)
    {
        var outcome = fixture[name];
        Assert.True(outcome.Replay.AsSpan().SequenceEqual(outcome.SplitReplay),
            $"{name}: feeding in random pieces changed the state.\n--- whole ---\n{ReplayAssert.Printable(outcome.Replay)}" +
            $"\n--- split ---\n{ReplayAssert.Printable(outcome.SplitReplay)}");
    }
}
