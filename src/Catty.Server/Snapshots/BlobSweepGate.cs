namespace Catty.Server.Snapshots;

/// <summary>
/// Keeps blob reclamation and snapshot writing apart: any number of snapshots may decide which contents
/// the store already has and record the ones they add at the same time, but never while a sweep deletes
/// contents, and a sweep waits for the snapshots in that phase to finish. Without it a snapshot could
/// count on a content a sweep is deleting, and name a blob that no longer exists.
/// </summary>
internal sealed class BlobSweepGate
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _sweepers = new(1, 1);
    private int _snapshots;
    private TaskCompletionSource? _sweeping;
    private TaskCompletionSource? _idle;

    /// <summary>Enters the phase of a snapshot that relies on stored contents; dispose to leave it.</summary>
    public async Task<IDisposable> EnterSnapshotAsync(CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_sweeping is null)
                {
                    _snapshots++;
                    return new Lease(LeaveSnapshot);
                }

                wait = _sweeping.Task;
            }

            await wait.WaitAsync(ct);
        }
    }

    /// <summary>Waits until no snapshot is in that phase and keeps new ones out; dispose to let them in.</summary>
    public async Task<IDisposable> EnterSweepAsync(CancellationToken ct)
    {
        await _sweepers.WaitAsync(ct);
        Task idle;
        lock (_lock)
        {
            _sweeping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_snapshots == 0)
            {
                _idle.TrySetResult();
            }

            idle = _idle.Task;
        }

        try
        {
            await idle.WaitAsync(ct);
        }
        catch
        {
            LeaveSweep();
            throw;
        }

        return new Lease(LeaveSweep);
    }

    private void LeaveSnapshot()
    {
        lock (_lock)
        {
            if (--_snapshots == 0)
            {
                _idle?.TrySetResult();
            }
        }
    }

    private void LeaveSweep()
    {
        TaskCompletionSource? sweeping;
        lock (_lock)
        {
            sweeping = _sweeping;
            _sweeping = null;
            _idle = null;
        }

        sweeping?.TrySetResult();
        _sweepers.Release();
    }

    private sealed class Lease(Action leave) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                leave();
            }
        }
    }
}
