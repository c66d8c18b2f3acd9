using Catty.Agent.Terminal;

namespace Catty.Agent.Tests.Terminal;

/// <summary>Takes a frame the way the sender thread does, from a thread of its own, within a deadline.</summary>
internal static class QueueTaking
{
    public static async Task<OutboundFrame> TakeAsync(OutboundQueue queue, byte[] frame, TimeSpan deadline)
    {
        var take = Task.Factory.StartNew(() => queue.Dequeue(frame), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return await take.WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            // Release the waiting thread rather than leave it blocked for the rest of the run.
            queue.Cancel();
            throw;
        }
    }
}
