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
/// </summary>
internal sealed class SnapshotScheduler(
    IServiceScopeFactory scopes, SnapshotService snapshots, IOptions<SnapshotOptions> options, TimeProvider time, ILogger<SnapshotScheduler> logger)
    : BackgroundService
{
    private readonly Dictionary<Guid, DateTimeOffset> _due = [];
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
        List<(Guid Id, DateTimeOffset CreatedAt)> running;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
            running = (await db.Sessions.AsNoTracking().Where(s => s.Status == SessionStatus.Running)
                .Select(s => new { s.Id, s.CreatedAt }).ToListAsync(ct)).Select(s => (s.Id, s.CreatedAt)).ToList();
        }

        var now = time.GetUtcNow();
        foreach (var gone in _due.Keys.Except(running.Select(r => r.Id)).ToList())
        {
            _due.Remove(gone);
            snapshots.Forget(gone);
        }

        foreach (var (id, createdAt) in running)
        {
            if (!_due.TryGetValue(id, out var due))
            {
                _due[id] = due = createdAt + options.Value.FirstDelay;
            }

            if (now < due)
            {
                continue;
            }

            var outcome = await snapshots.TakeAsync(id, ct);
            _due[id] = time.GetUtcNow() + options.Value.Interval;
            if (outcome is SnapshotOutcome.Incomplete)
            {
                logger.LogInformation("Snapshot of session {SessionId} incomplete; retrying at the next interval", id);
            }
        }
    }

    private async Task<List<Guid>> RunningAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        return await db.Sessions.AsNoTracking().Where(s => s.Status == SessionStatus.Running).Select(s => s.Id).ToListAsync(ct);
    }
}
