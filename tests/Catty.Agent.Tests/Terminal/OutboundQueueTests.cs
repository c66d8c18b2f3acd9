using System.Net.WebSockets;
using System.Text;
using Catty.Agent.Terminal;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Tests.Terminal;

public sealed class OutboundQueueTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Replay_goes_first_then_control_messages_exactly_between_the_bytes_they_followed()
    {
        using var queue = new OutboundQueue(1024, 64);
        queue.EnqueueReplay("REPLAY"u8.ToArray());
        queue.EnqueueControl(new ReadyMessage());
        queue.EnqueueOutput("abc"u8);
        queue.EnqueueOutput("def"u8);
        queue.EnqueueControl(new ExitMessage(3, null));
        queue.EnqueueOutput("late"u8);

        Assert.Equal(
            ["bytes:REPLAY", "control:ReadyMessage", "bytes:abcdef", "control:ExitMessage", "bytes:late"],
            await DrainAsync(queue, new byte[256], 5));
    }

    [Fact]
    public async Task Consecutive_output_is_coalesced_up_to_the_frame_size_and_split_beyond_it()
    {
        using var queue = new OutboundQueue(1024, 64);
        for (var i = 0; i < 10; i++)
            queue.EnqueueOutput("0123456789"u8);

        Assert.Equal(
            ["bytes:0123456789012345678901234567890123456789", "bytes:0123456789012345678901234567890123456789", "bytes:01234567890123456789"],
            await DrainAsync(queue, new byte[40], 3));
    }

    [Fact]
    public async Task A_sender_waiting_for_output_wakes_when_output_is_queued()
    {
        using var queue = new OutboundQueue(1024, 64);
        var frame = new byte[64];
        var taking = QueueTaking.TakeAsync(queue, frame, Deadline);
        // Only once the sender sleeps, so the output reaches it through the doorbell rather than its first look.
        Assert.True(SpinWait.SpinUntil(() => queue.SenderWaiting, Deadline));
        queue.EnqueueOutput("late"u8);

        var next = await taking;
        Assert.Equal("late", Encoding.ASCII.GetString(frame, 0, next.Length));
    }

    [Fact]
    public async Task Cancelling_releases_a_waiting_sender()
    {
        using var queue = new OutboundQueue(1024, 64);
        var taking = Task.Factory.StartNew(() => queue.Dequeue(new byte[64]), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        queue.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(() => taking.WaitAsync(Deadline));
        Assert.Throws<OperationCanceledException>(() => queue.Dequeue(new byte[64]));
    }

    [Fact]
    public async Task A_full_queue_holds_the_reader_until_the_sender_makes_room()
    {
        using var queue = new OutboundQueue(100, 64);
        queue.EnqueueOutput(new byte[60]);
        queue.EnqueueOutput(new byte[60]);
        var reader = Task.Factory.StartNew(queue.WaitForSpace, TaskCreationOptions.LongRunning);
        // The reader must still be waiting after a round trip through the queue's lock.
        Assert.Equal(120, queue.OutputBytes);
        Assert.False(reader.IsCompleted);

        await QueueTaking.TakeAsync(queue, new byte[30], Deadline);

        await reader.WaitAsync(Deadline);
        Assert.Equal(90, queue.OutputBytes);
    }

    [Fact]
    public async Task Closing_releases_a_waiting_reader_and_discards_or_drains_as_asked()
    {
        using var discarding = new OutboundQueue(10, 64);
        discarding.EnqueueOutput(new byte[20]);
        var reader = Task.Factory.StartNew(discarding.WaitForSpace, TaskCreationOptions.LongRunning);
        discarding.Close(WebSocketCloseStatus.PolicyViolation, "replaced", discardPending: true);
        await reader.WaitAsync(Deadline);
        Assert.Equal(["close:PolicyViolation replaced"], await DrainAsync(discarding, new byte[64], 1));

        using var draining = new OutboundQueue(10, 64);
        draining.EnqueueOutput("bye"u8);
        draining.EnqueueControl(new ExitMessage(0, null));
        draining.Close(WebSocketCloseStatus.EndpointUnavailable, "Session stopped", discardPending: false);
        draining.EnqueueOutput("ignored"u8);
        Assert.Equal(["bytes:bye", "control:ExitMessage", "close:EndpointUnavailable Session stopped"], await DrainAsync(draining, new byte[64], 3));
    }

    [Fact]
    public async Task The_ring_wraps_and_grows_without_losing_or_reordering_bytes()
    {
        using var queue = new OutboundQueue(300, 64);
        var sent = new StringBuilder();
        var received = new StringBuilder();
        var frame = new byte[37];
        for (var i = 0; i < 200; i++)
        {
            var chunk = Encoding.ASCII.GetBytes($"<{i}:{new string((char)('a' + (i % 26)), i % 50)}>");
            queue.EnqueueOutput(chunk);
            sent.Append(Encoding.ASCII.GetString(chunk));
            while (queue.OutputBytes > 250)
                received.Append(Encoding.ASCII.GetString(frame, 0, (await QueueTaking.TakeAsync(queue, frame, Deadline)).Length));
        }
        while (queue.OutputBytes > 0)
            received.Append(Encoding.ASCII.GetString(frame, 0, (await QueueTaking.TakeAsync(queue, frame, Deadline)).Length));

        Assert.Equal(sent.ToString(), received.ToString());
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
                OutboundKind.Control => "control:" + next.Control!.GetType().Name,
                _ => $"close:{next.CloseStatus} {next.CloseReason}",
            });
        }
        return seen;
    }
}
