using Catty.Sdk.Api;
using Catty.Server.Attention;

namespace Catty.Server.Tests.Attention;

/// <summary>The board tells each owner about their own sessions only, and a listener that falls behind loses only its oldest changes.</summary>
public sealed class AttentionBoardTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Changes_reach_the_sessions_owner_only_starting_with_the_current_states()
    {
        var board = new AttentionBoard();
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        var (hers, his) = (Guid.NewGuid(), Guid.NewGuid());
        board.Set(hers, alice, AttentionState.Working, Now);
        using var aliceFeed = board.Subscribe(alice);
        using var bobFeed = board.Subscribe(bob);

        board.Set(his, bob, AttentionState.NeedsInput, Now);
        board.Set(hers, alice, AttentionState.NeedsInput, Now.AddSeconds(1));
        board.Set(hers, alice, AttentionState.NeedsInput, Now.AddSeconds(1));
        board.Remove(hers);
        board.Remove(hers);

        Assert.Equal(
            [new AttentionEvent(hers, AttentionState.Working, Now), new AttentionEvent(hers, AttentionState.NeedsInput, Now.AddSeconds(1)), new AttentionEvent(hers)],
            Drain(aliceFeed));
        Assert.Equal([new AttentionEvent(his, AttentionState.NeedsInput, Now)], Drain(bobFeed));
        Assert.Equal((null, null), board.Get(hers));
        Assert.Equal((AttentionState.NeedsInput, Now), board.Get(his));
    }

    [Fact]
    public void A_listener_that_never_reads_keeps_a_bounded_queue_of_the_newest_changes()
    {
        var board = new AttentionBoard();
        var owner = Guid.NewGuid();
        var session = Guid.NewGuid();
        using var feed = board.Subscribe(owner);

        for (var i = 0; i < 10_000; i++)
        {
            board.Set(session, owner, i % 2 == 0 ? AttentionState.Working : AttentionState.Idle, Now.AddSeconds(i));
        }

        var kept = Drain(feed);
        Assert.Equal(256, kept.Count);
        Assert.Equal(Now.AddSeconds(9_999), kept[^1].AttentionSince);
    }

    private static List<AttentionEvent> Drain(AttentionBoard.Subscription feed)
    {
        var changes = new List<AttentionEvent>();
        while (feed.Changes.TryRead(out var change))
        {
            changes.Add(change);
        }
        return changes;
    }
}
