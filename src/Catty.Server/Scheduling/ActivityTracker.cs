namespace Catty.Server.Scheduling;

/// <summary>
/// Inactivity by counter: the agent's ActivityCount grows with every chunk of input or output, and a session
/// is idle for as long as the count stands still on the server's clock. Kept in memory: after a restart the
/// idle time counts from the first look.
/// </summary>
internal sealed class ActivityTracker
{
    private readonly Dictionary<Guid, (long Count, DateTimeOffset Since)> _last = [];

    /// <summary>Records a reading; returns how long the count has not changed.</summary>
    public TimeSpan Observe(Guid sessionId, long activityCount, DateTimeOffset now)
    {
        if (_last.TryGetValue(sessionId, out var last) && last.Count == activityCount)
        {
            return now - last.Since;
        }

        _last[sessionId] = (activityCount, now);
        return TimeSpan.Zero;
    }

    /// <summary>Forgets sessions that are no longer running.</summary>
    public void KeepOnly(IReadOnlySet<Guid> running)
    {
        foreach (var id in _last.Keys.Where(id => !running.Contains(id)).ToList())
        {
            _last.Remove(id);
        }
    }
}
