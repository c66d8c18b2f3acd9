using System.Collections.Concurrent;
using Catty.Sdk.Api;
using Catty.Server.Audit;
using Catty.Server.Runtimes;
using Catty.Server.Snapshots;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Sessions;

/// <summary>
/// The one way a session ends, whoever ends it (a user, the deadline, inactivity, the program's exit, a lost
/// machine). The first caller claims the session with a conditional update; later callers, in this process or in
/// another replica on the same database, are no-ops: one stop, one final snapshot, one audit entry.
/// </summary>
internal sealed class SessionStopper(
    IServiceScopeFactory scopes, SessionRuntimes runtimes, SnapshotService snapshots, AuditLog audit, TimeProvider time, ILogger<SessionStopper> logger)
{
    /// <summary>Raised once a session has ended and its machine is destroyed; lets tests wait instead of polling.</summary>
    internal event Action<Guid>? Ended;

    /// <summary>Stops in progress in this process; a second caller waits for the first instead of seeing a half-stopped session.</summary>
    private readonly ConcurrentDictionary<Guid, Task<bool>> _inFlight = new();

    /// <summary>Ends the session; true when this call ended it, false when it had already ended (or another call was ending it).</summary>
    public async Task<bool> StopAsync(Guid sessionId, SessionEnd end)
    {
        var mine = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var current = _inFlight.GetOrAdd(sessionId, mine.Task);
        if (current != mine.Task)
        {
            await ((Task)current).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return false;
        }

        try
        {
            var stopped = await StopOnceAsync(sessionId, end);
            mine.SetResult(stopped);
            return stopped;
        }
        catch (Exception ex)
        {
            mine.SetException(ex);
            throw;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<Guid, Task<bool>>(sessionId, mine.Task));
        }
    }

    /// <summary>Completes when no stop of this session is in progress in this process.</summary>
    public Task SettledAsync(Guid sessionId) =>
        _inFlight.TryGetValue(sessionId, out var current) ? ((Task)current).ContinueWith(_ => { }, TaskScheduler.Default) : Task.CompletedTask;

    private async Task<bool> StopOnceAsync(Guid sessionId, SessionEnd end)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        var now = time.GetUtcNow();
        var claimed = await db.Sessions
            .Where(s => s.Id == sessionId && (s.Status == SessionStatus.Running || s.Status == SessionStatus.Starting))
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, end.Status)
                .SetProperty(s => s.StopReason, end.Reason)
                .SetProperty(s => s.ExitCode, end.ExitCode)
                .SetProperty(s => s.StoppedAt, now));
        if (claimed == 0)
        {
            return false;
        }

        var session = await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == sessionId);
        var exitCode = end.ExitCode;
        if (session.Machine() is { } machine)
        {
            // The agent still answers (a program that exited leaves it lingering), so the workspace is saved first.
            await snapshots.TakeFinalAsync(sessionId);

            // Not cancellable: a stop that began finishes, even while the server shuts down.
            var final = await runtimes.Get(session.Runtime).DestroyAsync(machine, end.Reason, CancellationToken.None);
            exitCode ??= final?.ExitCode;
        }

        await db.Sessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.MachineState, MachineState.Destroyed)
                .SetProperty(s => s.ExitCode, exitCode));
        logger.LogInformation("Session {Label} {Status} ({Reason}), exit code {ExitCode}", session.Label, end.Status, end.Reason, exitCode);

        // A user's stop is audited by the request that asked for it; every other end by the one caller that claimed it.
        if (end.Reason != StopReason.User)
        {
            await audit.RecordAsync(AuditKinds.SessionStopped, session.OwnerId, sourceAddress: null, $"{session.Label} ({end.Reason})", email: null);
        }

        Ended?.Invoke(sessionId);
        return true;
    }
}
