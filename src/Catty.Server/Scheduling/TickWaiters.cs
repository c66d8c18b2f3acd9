namespace Catty.Server.Scheduling;

/// <summary>
/// Lets tests advance a fake clock and then wait until a periodic loop has acted on it: a waiter added
/// before a tick starts is released when that tick has finished.
/// </summary>
internal sealed class TickWaiters
{
    private readonly Lock _lock = new();
    private List<TaskCompletionSource> _waiting = [];

    /// <summary>Completes when a tick that starts after this call has finished.</summary>
    public Task NextAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting.Add(waiter);
        }

        return waiter.Task;
    }

    /// <summary>Called as a tick starts; the returned action, run when it ends, releases its waiters.</summary>
    public Action TickStarting()
    {
        List<TaskCompletionSource> waiters;
        lock (_lock)
        {
            (waiters, _waiting) = (_waiting, []);
        }

        return () => waiters.ForEach(w => w.TrySetResult());
    }
}
