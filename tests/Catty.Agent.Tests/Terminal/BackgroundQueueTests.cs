using System.Net.WebSockets;
using System.Text;
using Catty.Agent.Terminal;

namespace Catty.Agent.Tests.Terminal;

/// <summary>Sync-back's background messages share the driver's queue without holding the terminal back.</summary>
public sealed class BackgroundQueueTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Background_messages_alternate_with_terminal_frames()
    {
        using var queue = new OutboundQueue(1024, 64, backgroundCapacityBytes: 1024);
        queue.EnqueueOutput("aaaabbbbcccc"u8);
        for (var i = 1; i <= 3; i++)
            Assert.True(await queue.EnqueueBackgroundAsync(Encoding.ASCII.GetBytes("m" + i), CancellationToken.None));

        Assert.Equal(["bytes:aaaa", "text:m1", "bytes:bbbb", "text:m2", "bytes:cccc", "text:m3"], await DrainAsync(queue, new byte[4], 6));
    }

    [Fact]
    public async Task A_background_message_never_overtakes_a_queued_control_message()
    {
        using var queue = new OutboundQueue(1024, 64, backgroundCapacityBytes: 1024);
        queue.EnqueueOutput("aaaabbbb"u8);
        queue.EnqueueControl(new Catty.Sdk.Terminal.ReadyMessage());
        await queue.EnqueueBackgroundAsync("m1"u8.ToArray(), CancellationToken.None);

        Assert.Equal(["bytes:aaaa", "bytes:bbbb", "control:ReadyMessage", "text:m1"], await DrainAsync(queue, new byte[4], 4));
    }

    [Fact]
    public async Task A_stopped_producer_can_queue_nothing_more_and_its_queued_messages_can_be_dropped()
    {
        using var queue = new OutboundQueue(1024, 64, backgroundCapacityBytes: 1024);
        using var stop = new CancellationTokenSource();
        await queue.EnqueueBackgroundAsync("m1"u8.ToArray(), stop.Token);

        await stop.CancelAsync();
        queue.ClearBackground();

        await Assert.ThrowsAsync<OperationCanceledException>(async () => await queue.EnqueueBackgroundAsync("m2"u8.ToArray(), stop.Token));
        queue.EnqueueOutput("x"u8);
        Assert.Equal(["bytes:x"], await DrainAsync(queue, new byte[4], 1));
    }

    [Fact]
    public async Task Background_messages_go_out_back_to_back_when_the_terminal_is_idle()
    {
        using var queue = new OutboundQueue(1024, 64, backgroundCapacityBytes: 1024);
        await queue.EnqueueBackgroundAsync("m1"u8.ToArray(), CancellationToken.None);
        await queue.EnqueueBackgroundAsync("m2"u8.ToArray(), CancellationToken.None);

        Assert.Equal(["text:m1", "text:m2"], await DrainAsync(queue, new byte[4], 2));
    }

    [Fact]
    public async Task A_full_background_queue_makes_the_producer_wait_for_the_sender()
    {
        using var queue = new OutboundQueue(1024, 64, backgroundCapacityBytes: 10);
        Assert.True(await queue.EnqueueBackgroundAsync(new byte[8], CancellationToken.None));

        var second = queue.EnqueueBackgroundAsync(new byte[8], CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        await DrainAsync(queue, new byte[4], 1);
        Assert.True(await second.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Closing_drops_background_messages_and_refuses_more()
    {
        using var queue = new OutboundQueue(1024, 64, backgroundCapacityBytes: 10);
        await queue.EnqueueBackgroundAsync(new byte[8], CancellationToken.None);
        var waiting = queue.EnqueueBackgroundAsync(new byte[8], CancellationToken.None).AsTask();

        queue.Close(WebSocketCloseStatus.PolicyViolation, "replaced", discardPending: true);

        Assert.False(await waiting.WaitAsync(Deadline));
        Assert.False(await queue.EnqueueBackgroundAsync(new byte[1], CancellationToken.None));
        Assert.Equal(["close"], await DrainAsync(queue, new byte[4], 1));
    }

    private static async Task<List<string>> DrainAsync(OutboundQueue queue, byte[] frame, int count)
    {
        var seen = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var next = await QueueTaking.TakeAsync(queue, frame, Deadline);
            seen.Add(next.Kind switch
            {
                OutboundKind.Binary => "bytes:" + Encoding.ASCII.GetString(frame, 0, next.Length),
                OutboundKind.Text => "text:" + Encoding.ASCII.GetString(next.Payload!),
                OutboundKind.Control => "control:" + next.Control!.GetType().Name,
                _ => "close",
            });
        }
        return seen;
    }
}
