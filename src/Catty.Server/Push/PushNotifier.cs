using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Catty.Sdk.Api;
using Catty.Server.Attention;
using Catty.Server.Sessions;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Push;

/// <summary>Something worth a push about one session.</summary>
internal sealed record PushNotice(string Event, Guid SessionId);

/// <summary>What became of a notice: how many pushes went out, or why none did.</summary>
internal sealed record PushNoticeResult(PushNotice Notice, int Sent, string? Skipped = null);

/// <summary>
/// Turns what happens to sessions into pushes to their owners' subscriptions: a change of attention into
/// <c>needs_input</c> or <c>idle</c>, an end by anything but the owner, and the auto-stop drawing near. Nothing
/// goes out about a session one of the owner's pages shows visibly (<see cref="PushPresence"/>), a subscription
/// only gets the events it switched on, and each event of a session goes out at most once per
/// <see cref="PushOptions.MinInterval"/>, so a session flipping its state cannot flood anyone. The text is
/// the server's own: nothing a session reports is passed on.
/// </summary>
internal sealed partial class PushNotifier(
    IServiceScopeFactory scopes,
    AttentionBoard board,
    SessionStopper stopper,
    PushSender sender,
    PushPresence presence,
    IOptions<PushOptions> options,
    TimeProvider time,
    ILogger<PushNotifier> logger) : BackgroundService
{
    private readonly Channel<PushNotice> _queue = Channel.CreateBounded<PushNotice>(new BoundedChannelOptions(1024)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    /// <summary>The last attention state seen per session; the first one seen is where it starts, not news.</summary>
    private readonly ConcurrentDictionary<Guid, string> _states = new();

    private readonly ConcurrentDictionary<(Guid SessionId, string Event), DateTimeOffset> _lastSent = new();

    /// <summary>The deadline each session was warned about; an extended session is warned again.</summary>
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _warned = new();

    /// <summary>Raised once a notice has been handled; lets tests wait instead of polling.</summary>
    internal event Action<PushNoticeResult>? Handled;

    /// <summary>Called by the scheduler for each running session; queues the warning once per deadline when it is near.</summary>
    public void CheckExpiry(SessionRecord session)
    {
        var warning = options.Value.ExpiryWarning;
        var left = session.ExpiresAt - time.GetUtcNow();
        // A session whose whole life is shorter than the warning was started knowing when it ends.
        if (left > warning || left <= TimeSpan.Zero || session.ExpiresAt - session.CreatedAt <= warning)
        {
            return;
        }

        if (_warned.TryGetValue(session.Id, out var warnedFor) && warnedFor == session.ExpiresAt)
        {
            return;
        }

        _warned[session.Id] = session.ExpiresAt;
        _queue.Writer.TryWrite(new PushNotice(PushEvents.Expiring, session.Id));
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        stopper.Ended += OnEnded;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        stopper.Ended -= OnEnded;
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watching = WatchAttentionAsync(stoppingToken);
        try
        {
            await foreach (var notice in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var result = await DeliverAsync(notice, stoppingToken);
                    Handled?.Invoke(result);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, ex, notice.Event, notice.SessionId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WatchAttentionAsync(CancellationToken cancellationToken)
    {
        using var feed = board.SubscribeAll();
        await foreach (var change in feed.Changes.ReadAllAsync(cancellationToken))
        {
            if (change.Attention is not { } state)
            {
                _states.TryRemove(change.SessionId, out _);
                continue;
            }

            var before = _states.TryGetValue(change.SessionId, out var previous) ? previous : null;
            _states[change.SessionId] = state;
            if (before is not null && before != state && state is AttentionState.NeedsInput or AttentionState.Idle)
            {
                _queue.Writer.TryWrite(new PushNotice(state, change.SessionId));
            }
        }
    }

    private void OnEnded(Guid sessionId)
    {
        _states.TryRemove(sessionId, out _);
        _warned.TryRemove(sessionId, out _);
        _queue.Writer.TryWrite(new PushNotice(PushEvents.Stopped, sessionId));
    }

    private async Task<PushNoticeResult> DeliverAsync(PushNotice notice, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == notice.SessionId, cancellationToken);
        if (session is null)
        {
            return new PushNoticeResult(notice, 0, "no such session");
        }

        var running = session.Status is SessionStatus.Running or SessionStatus.Starting;
        if (notice.Event == PushEvents.Stopped ? running || session.StopReason is null or StopReason.User : !running)
        {
            return new PushNoticeResult(notice, 0, notice.Event == PushEvents.Stopped ? "stopped by its owner" : "not running");
        }

        if (presence.IsWatching(session.OwnerId, session.Id))
        {
            return new PushNoticeResult(notice, 0, "shown on one of the owner's pages");
        }

        var now = time.GetUtcNow();
        if (_lastSent.TryGetValue((session.Id, notice.Event), out var last) && now - last < options.Value.MinInterval)
        {
            return new PushNoticeResult(notice, 0, "sent recently");
        }

        var subscriptions = (await db.PushSubscriptions.Where(p => p.UserId == session.OwnerId).ToListAsync(cancellationToken))
            .Where(p => PushEvents.Parse(p.Events).Contains(notice.Event))
            .ToList();
        if (subscriptions.Count == 0)
        {
            return new PushNoticeResult(notice, 0, "no subscription wants it");
        }

        _lastSent[(session.Id, notice.Event)] = now;
        var payload = JsonSerializer.Serialize(PushMessages.For(notice.Event, session, options.Value.ExpiryWarning), PushJson.Default.PushPayload);
        var sent = 0;
        foreach (var subscription in subscriptions)
        {
            var delivery = await sender.SendAsync(new PushTarget(subscription.Endpoint, subscription.P256dh, subscription.Auth), payload, session.Id.ToString("N"), cancellationToken);
            subscription.LastAttemptAt = time.GetUtcNow();
            subscription.LastOutcome = JsonNamingPolicy.SnakeCaseLower.ConvertName(delivery.Outcome.ToString());
            subscription.LastStatus = delivery.Status;
            if (delivery.Outcome == PushOutcome.Delivered)
            {
                subscription.LastDeliveredAt = subscription.LastAttemptAt;
                sent++;
            }
            else if (delivery.Outcome == PushOutcome.Gone)
            {
                // The browser dropped it (or its user did): a subscription the push service no longer knows is never tried again.
                db.PushSubscriptions.Remove(subscription);
            }
        }

        await db.SaveChangesAsync(CancellationToken.None);
        return new PushNoticeResult(notice, sent);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push of {Event} for session {SessionId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string @event, Guid sessionId);
}
