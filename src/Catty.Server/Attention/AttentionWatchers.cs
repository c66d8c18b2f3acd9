using System.Collections.Concurrent;
using Catty.Server.Runtimes;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Attention;

/// <summary>
/// One long poll on each running agent's <c>GET /attention</c>, feeding <see cref="AttentionBoard"/>. Ends
/// when the program has exited (the agent reports no state) or the agent stays unreachable; server
/// shutdown cancels the polls and leaves the sessions running.
/// </summary>
internal sealed class AttentionWatchers(
    AttentionBoard board,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<AttentionWatchers> logger) : IHostedService, IDisposable
{
    /// <summary>Unanswered polls in a row after which the watch ends (the session watchers decide what happened).</summary>
    private const int MaxMisses = 3;

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(60);

    /// <summary>An agent that answers a long poll unchanged faster than this is slowed down to it.</summary>
    private static readonly TimeSpan MinPollInterval = TimeSpan.FromSeconds(1);

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
        }
    }

    private async Task WatchAsync(Guid sessionId, string agentEndpoint)
    {
        var ct = _shutdown.Token;
        try
        {
            Guid ownerId;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
                ownerId = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId).Select(s => s.OwnerId).FirstOrDefaultAsync(ct);
            }

            if (ownerId == Guid.Empty)
            {
                return;
            }

            using var agent = new AgentClient(agentEndpoint);
            long version = 0;
            var misses = 0;
            while (true)
            {
                var asked = time.GetTimestamp();
                var attention = await agent.AttentionAsync(version, PollTimeout, ct);
                if (attention is null)
                {
                    if (++misses >= MaxMisses)
                    {
                        break;
                    }

                    await Task.Delay(RetryAfter, time, ct);
                    continue;
                }

                misses = 0;
                if (attention.Version == version)
                {
                    var elapsed = time.GetElapsedTime(asked);
                    if (elapsed < MinPollInterval)
                    {
                        await Task.Delay(MinPollInterval - elapsed, time, ct);
                    }

                    continue;
                }

                version = attention.Version;
                board.Set(sessionId, ownerId, attention.State, attention.Since);
                if (attention.State is null)
                {
                    break;
                }
            }

            board.Remove(sessionId);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Server shutdown: the next start asks the agent again.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Watching the attention of session {SessionId} failed", sessionId);
            board.Remove(sessionId);
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
