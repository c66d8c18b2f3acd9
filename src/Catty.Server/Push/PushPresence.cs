using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Catty.Server.Push;

/// <summary>
/// Which sessions a person is looking at: each dashboard page that shows a session says so, with the
/// document's visibility, and repeats it while it stays open. A page not heard from for
/// <see cref="PushOptions.PresenceTimeout"/> counts as gone. A connected CLI or agent never reports here,
/// because it is not a person who would see the state change.
/// </summary>
internal sealed class PushPresence(IOptions<PushOptions> options, TimeProvider time)
{
    /// <summary>Pages remembered per user; a user past it loses the oldest.</summary>
    private const int PagesPerUser = 32;

    private readonly ConcurrentDictionary<Guid, Dictionary<string, Page>> _users = new();

    /// <summary>Records what one page of the user shows; <paramref name="sessionId"/> null when it shows no session.</summary>
    public void Report(Guid userId, string page, Guid? sessionId, bool visible)
    {
        var pages = _users.GetOrAdd(userId, _ => []);
        lock (pages)
        {
            if (sessionId is null)
            {
                pages.Remove(page);
                return;
            }

            pages[page] = new Page(sessionId.Value, visible, time.GetUtcNow());
            if (pages.Count > PagesPerUser)
            {
                pages.Remove(pages.MinBy(p => p.Value.Seen).Key);
            }
        }
    }

    /// <summary>Whether one of the user's pages shows the session, visibly, and was heard from recently.</summary>
    public bool IsWatching(Guid userId, Guid sessionId)
    {
        if (!_users.TryGetValue(userId, out var pages))
        {
            return false;
        }

        var fresh = time.GetUtcNow() - options.Value.PresenceTimeout;
        lock (pages)
        {
            return pages.Values.Any(p => p.SessionId == sessionId && p.Visible && p.Seen > fresh);
        }
    }

    private sealed record Page(Guid SessionId, bool Visible, DateTimeOffset Seen);
}
