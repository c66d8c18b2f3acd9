using System.Text;
using Catty.Agent.Attention;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;
using Microsoft.Extensions.Time.Testing;

namespace Catty.Agent.Tests.Attention;

/// <summary>The state machine on a hand-moved clock: the quiet-terminal rule, Enter, hook reports and the exit.</summary>
public sealed class AttentionTrackerTests
{
    private static readonly TimeSpan QuietAfter = TimeSpan.FromSeconds(5);

    [Fact]
    public void Without_hooks_output_means_working_and_a_quiet_terminal_means_idle()
    {
        var clock = new FakeTimeProvider();
        using var tracker = new AttentionTracker(AttentionSource.Quiet, QuietAfter, clock);
        Assert.Equal(AttentionState.Working, tracker.Current.State);

        clock.Advance(TimeSpan.FromSeconds(3));
        tracker.OnOutput();
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(AttentionState.Working, tracker.Current.State);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(AttentionState.Idle, tracker.Current.State);
        Assert.Equal(clock.GetUtcNow(), tracker.Current.Since);

        tracker.OnInput("ls\r"u8);
        Assert.Equal(AttentionState.Idle, tracker.Current.State);
        tracker.OnOutput();
        Assert.Equal(AttentionState.Working, tracker.Current.State);
        clock.Advance(QuietAfter);
        Assert.Equal(AttentionState.Idle, tracker.Current.State);
    }

    [Fact]
    public void With_hooks_reports_decide_output_does_not_and_Enter_after_a_wait_means_working()
    {
        var clock = new FakeTimeProvider();
        using var tracker = new AttentionTracker(AttentionSource.Claude, QuietAfter, clock);
        tracker.Report(AttentionState.NeedsInput);
        tracker.OnOutput();
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(AttentionState.NeedsInput, tracker.Current.State);

        tracker.OnInput("\u001b[B"u8);
        Assert.Equal(AttentionState.NeedsInput, tracker.Current.State);
        tracker.OnInput("\r"u8);
        Assert.Equal(AttentionState.Working, tracker.Current.State);
        tracker.Report(AttentionState.Idle);
        Assert.Equal(AttentionState.Idle, tracker.Current.State);
    }

    [Fact]
    public async Task A_long_poll_answers_the_next_change_and_an_exit_ends_the_state_for_good()
    {
        var clock = new FakeTimeProvider();
        using var tracker = new AttentionTracker(AttentionSource.Codex, QuietAfter, clock);
        var first = tracker.Current;
        Assert.Equal(AttentionState.Idle, first.State);

        var poll = tracker.WaitForChangeAsync(first.Version, TimeSpan.FromSeconds(25), CancellationToken.None);
        Assert.False(poll.IsCompleted);
        tracker.Report(AttentionState.Idle);
        Assert.False(poll.IsCompleted);
        tracker.OnInput(Encoding.UTF8.GetBytes("fix the tests\r"));
        var changed = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((first.Version + 1, AttentionState.Working), (changed.Version, changed.State));

        var unchanged = tracker.WaitForChangeAsync(changed.Version, TimeSpan.FromSeconds(25), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(changed, await unchanged.WaitAsync(TimeSpan.FromSeconds(10)));

        tracker.OnExit();
        tracker.Report(AttentionState.NeedsInput);
        tracker.OnInput("\r"u8);
        Assert.Null(tracker.Current.State);
        Assert.Equal(changed.Version + 1, tracker.Current.Version);
    }
}
