using System.Collections.Concurrent;
using Catty.Sdk.AgentControl;
using Catty.Server.Attention;
using Catty.Server.Runtimes;
using Catty.Server.Sessions;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Scheduling;

/// <summary>
/// One long poll on each running agent's <c>/wait</c>: when the program exits the session becomes
/// <c>stopped</c>/<c>agent_exited</c> with its exit code at once, instead of at the next scheduler tick.
/// Server shutdown cancels the polls and leaves the sessions running.
/// </summary>
internal sealed class SessionWatchers(
    IServiceScopeFactory scopes,
    AttentionWatchers attention,
    SessionStopper stopper,
    SessionReconciler reconciler,
    ILogger<SessionWatchers> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<Guid, Task> _watches = new();

    public void Watch(Guid sessionId, string agentEndpoint)
    {
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }

        var watch = new Task<Task>(() => WatchAsync(sessionId, agentEndpoint));
        if (_watches.TryAdd(sessionId, watch.Unwrap()))
        {
            watch.Start(TaskScheduler.Default);
            attention.Watch(sessionId, agentEndpoint);
        }
    }

    private async Task WatchAsync(Guid sessionId, string agentEndpoint)
    {
        try
        {
            using var agent = new AgentClient(agentEndpoint);
            AgentStatus? status;
            do
            {
                // An agent may end a long poll early with its current status; ask again.
                status = await agent.WaitAsync(_shutdown.Token);
            }
            while (status is { State: AgentState.Running });

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
            var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, _shutdown.Token);
            if (status is { State: AgentState.Exited })
            {
                // A program the kernel killed for memory exits like any other; the session's limits tell them apart.
                var end = session is null ? SessionEnd.AgentExited(status.ExitCode) : await reconciler.EndOfExitAsync(session, status.ExitCode, _shutdown.Token);
                await stopper.StopAsync(sessionId, end);
                return;
            }

            // The agent went away (or answered something else): let the probe decide what happened.
            if (session is not null)
            {
                await reconciler.ReconcileAsync(session, _shutdown.Token);
            }
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            // Server shutdown: the session keeps running and is found again on the next start.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Watching session {SessionId} failed; the scheduler will check it", sessionId);
        }
        finally
        {
            _watches.TryRemove(sessionId, out _);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _shutdown.CancelAsync();
        await Task.WhenAll(_watches.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _shutdown.Dispose();
}
