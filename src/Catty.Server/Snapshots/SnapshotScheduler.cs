using Catty.Sdk.Api;
using Catty.Server.Scheduling;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Snapshots;

/// <summary>
/// Snapshots running sessions: the first <see cref="SnapshotOptions.FirstDelay"/> after start, then every
/// <see cref="SnapshotOptions.Interval"/> (an unchanged workspace costs one manifest and stores nothing).
/// When the server shuts down gracefully every running session gets one more; the sessions keep running.
/// The schedule lives in the session row (<see cref="SessionRecord.NextSnapshotAt"/>), so replicas sharing a
/// database take each periodic snapshot once between them.
/// </summary>
internal sealed class SnapshotScheduler(
    IServiceScopeFactory scopes, SnapshotService snapshots, IOptions<SnapshotOptions> options, TimeProvider time, ILogger<SnapshotScheduler> logger)
    : BackgroundService
{
    private readonly HashSet<Guid> _seen = [];
    private readonly TickWaiters _ticks = new();

    /// <summary>Completes after the next whole tick; tests move a fake clock and wait on this.</summary>
    internal Task NextTickAsync() => _ticks.NextAsync();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var id in await RunningAsync(CancellationToken.None))
        {
            await snapshots.TakeFinalAsync(id);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var release = _ticks.TickStarting();

                try
                {
                    await TickAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Snapshot tick failed");
                }

                release();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; StopAsync takes the last snapshots.
        }
    }

    private async Task TickAsync(CancellationToken ct)
    {
        List<(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? NextAt)> running;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
            running = (await db.Sessions.AsNoTracking().Where(s => s.Status == SessionStatus.Running)
                .Select(s => new { s.Id, s.CreatedAt, s.NextSnapshotAt }).ToListAsync(ct)).Select(s => (s.Id, s.CreatedAt, s.NextSnapshotAt)).ToList();
        }

        foreach (var gone in _seen.Except(running.Select(r => r.Id)).ToList())
        {
            _seen.Remove(gone);
            snapshots.Forget(gone);
        }

        foreach (var (id, createdAt, nextAt) in running)
        {
            _seen.Add(id);
            if (time.GetUtcNow() < (nextAt ?? createdAt + options.Value.FirstDelay) || !await ClaimAsync(id, nextAt, ct))
            {
                continue;
            }

            var outcome = await snapshots.TakeAsync(id, ct);
            if (outcome is SnapshotOutcome.Incomplete)
            {
                logger.LogInformation("Snapshot of session {SessionId} incomplete; retrying at the next interval", id);
            }
        }
    }

    /// <summary>
    /// Moves the session's next snapshot one interval on, if it is still what this replica read: of all replicas that
    /// saw the snapshot due, exactly one wins this compare-and-set and takes it. The row is locked only for the
    /// statement, so a replica that dies after winning stalls nothing; the next period is claimed as usual.
    /// </summary>
    private async Task<bool> ClaimAsync(Guid id, DateTimeOffset? seenNextAt, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        var next = time.GetUtcNow() + options.Value.Interval;
        return await db.Sessions
            .Where(s => s.Id == id && s.Status == SessionStatus.Running && s.NextSnapshotAt == seenNextAt)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.NextSnapshotAt, next), ct) == 1;
    }

    private async Task<List<Guid>> RunningAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        return await db.Sessions.AsNoTracking().Where(s => s.Status == SessionStatus.Running).Select(s => s.Id).ToListAsync(ct);
    }
}
