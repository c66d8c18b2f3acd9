using Catty.Sdk.Api;
using Catty.Server.Runtimes;
using Catty.Server.Sessions;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Scheduling;

/// <summary>
/// Sessions outlive the server. On start, every session whose machine was started is probed: a live agent
/// keeps its session running (and gets its watcher back); an exited program or a vanished machine ends it.
/// </summary>
internal sealed class SessionRecovery(
    IServiceScopeFactory scopes,
    SessionReconciler reconciler,
    SessionStopper stopper,
    SessionWatchers watchers,
    ILogger<SessionRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        List<SessionRecord> sessions;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
            sessions = await db.Sessions.AsNoTracking()
                .Where(s => s.Status == SessionStatus.Running || s.Status == SessionStatus.Starting)
                .ToListAsync(cancellationToken);
        }

        var kept = 0;
        foreach (var session in sessions)
        {
            if (session.Status == SessionStatus.Starting || session.Machine() is null)
            {
                // The server died while starting it; nobody was told how to reach it.
                await stopper.StopAsync(session.Id, new SessionEnd(SessionStatus.Failed, StopReason.MachineLost));
                continue;
            }

            var probe = await reconciler.ReconcileAsync(session, cancellationToken);
            if (probe is { Condition: MachineCondition.Running })
            {
                watchers.Watch(session.Id, session.AgentEndpoint!);
                kept++;
            }
        }

        if (sessions.Count > 0)
        {
            logger.LogInformation("Recovered {Kept} of {Count} running sessions", kept, sessions.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
