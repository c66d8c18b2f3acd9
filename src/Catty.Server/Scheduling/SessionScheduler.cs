using Catty.Sdk.Api;
using Catty.Server.Runtimes;
using Catty.Server.Sessions;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Scheduling;

/// <summary>
/// Every <see cref="SchedulingOptions.Interval"/> on the injected clock: stops sessions past their deadline
/// (<c>duration_elapsed</c>), asks each running agent for its status, stops idle ones (<c>inactive</c>) and
/// reconciles exited or vanished machines.
/// </summary>
internal sealed class SessionScheduler(
    IServiceScopeFactory scopes,
    SessionStopper stopper,
    SessionReconciler reconciler,
    Push.PushNotifier notifier,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<SessionScheduler> logger) : BackgroundService
{
    private readonly ActivityTracker _activity = new();
    private readonly TickWaiters _ticks = new();

    /// <summary>
    /// Completes when a tick that starts after this call has finished; lets tests advance a fake clock
    /// and then wait for the scheduler to have acted on it.
    /// </summary>
    internal Task NextTickAsync() => _ticks.NextAsync();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var release = _ticks.TickStarting();

            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Scheduler tick failed");
            }

            release();
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        List<SessionRecord> running;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
            running = await db.Sessions.AsNoTracking().Where(s => s.Status == SessionStatus.Running).ToListAsync(cancellationToken);
        }

        _activity.KeepOnly(running.Select(s => s.Id).ToHashSet());
        foreach (var session in running)
        {
            if (time.GetUtcNow() >= session.ExpiresAt)
            {
                await stopper.StopAsync(session.Id, SessionEnd.DeadlinePassed);
                continue;
            }

            notifier.CheckExpiry(session);
            var probe = await reconciler.ReconcileAsync(session, cancellationToken);
            var limit = options.Value.InactivityLimit;
            if (probe is { Condition: MachineCondition.Running, Status: { } status } && limit > TimeSpan.Zero
                && _activity.Observe(session.Id, status.ActivityCount, time.GetUtcNow()) >= limit)
            {
                await stopper.StopAsync(session.Id, SessionEnd.Inactive);
            }
        }
    }
}
