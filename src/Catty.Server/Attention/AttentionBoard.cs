using System.Collections.Concurrent;
using System.Threading.Channels;
using Catty.Sdk.Api;

namespace Catty.Server.Attention;

/// <summary>
/// The attention state of every running session, as its agent last reported it, and the live feed of its
/// changes per owner. Kept in memory: the agent owns the state, and a restarted server asks again.
/// </summary>
internal sealed class AttentionBoard
{
    /// <summary>Changes queued for one listener; a listener that falls this far behind loses the oldest.</summary>
    private const int ListenerQueue = 256;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly object _gate = new();
    private readonly List<Listener> _listeners = [];

    /// <summary>The session's state and since when; (null, null) when none is known.</summary>
    public (string? State, DateTimeOffset? Since) Get(Guid sessionId) =>
        _entries.TryGetValue(sessionId, out var entry) ? (entry.State, entry.Since) : (null, null);

    /// <summary>Records a report and tells the owner's listeners.</summary>
    public void Set(Guid sessionId, Guid ownerId, string? state, DateTimeOffset since)
    {
        if (state is null)
        {
            Remove(sessionId);
            return;
        }

        var entry = new Entry(ownerId, state, since);
        if (_entries.TryGetValue(sessionId, out var previous) && previous == entry)
        {
            return;
        }

        _entries[sessionId] = entry;
        Publish(ownerId, new AttentionEvent(sessionId, state, since));
    }

    /// <summary>The session has no state any more (stopped, or its agent is gone).</summary>
    public void Remove(Guid sessionId)
    {
        if (_entries.TryRemove(sessionId, out var previous))
        {
            Publish(previous.OwnerId, new AttentionEvent(sessionId, null, null));
        }
    }

    /// <summary>
    /// A feed of the owner's changes, starting with the current state of each of their sessions.
    /// Dispose it to stop listening.
    /// </summary>
    public Subscription Subscribe(Guid ownerId)
    {
        var channel = Channel.CreateBounded<AttentionEvent>(new BoundedChannelOptions(ListenerQueue)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var listener = new Listener(ownerId, channel);
        lock (_gate)
        {
            foreach (var (sessionId, entry) in _entries)
            {
                if (entry.OwnerId == ownerId)
                {
                    channel.Writer.TryWrite(new AttentionEvent(sessionId, entry.State, entry.Since));
                }
            }

            _listeners.Add(listener);
        }

        return new Subscription(this, listener);
    }

    /// <summary>A feed of every owner's changes from now on (no current states first). Dispose it to stop listening.</summary>
    public Subscription SubscribeAll()
    {
        var channel = Channel.CreateBounded<AttentionEvent>(new BoundedChannelOptions(ListenerQueue)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var listener = new Listener(null, channel);
        lock (_gate)
        {
            _listeners.Add(listener);
        }

        return new Subscription(this, listener);
    }

    private void Publish(Guid ownerId, AttentionEvent change)
    {
        lock (_gate)
        {
            foreach (var listener in _listeners)
            {
                if (listener.OwnerId is null || listener.OwnerId == ownerId)
                {
                    listener.Channel.Writer.TryWrite(change);
                }
            }
        }
    }

    private void Unsubscribe(Listener listener)
    {
        lock (_gate)
        {
            _listeners.Remove(listener);
        }

        listener.Channel.Writer.TryComplete();
    }

    private sealed record Entry(Guid OwnerId, string State, DateTimeOffset Since);

    internal sealed record Listener(Guid? OwnerId, Channel<AttentionEvent> Channel);

    /// <summary>One listener's feed.</summary>
    internal sealed class Subscription(AttentionBoard board, Listener listener) : IDisposable
    {
        public ChannelReader<AttentionEvent> Changes => listener.Channel.Reader;

        public void Dispose() => board.Unsubscribe(listener);
    }
}
