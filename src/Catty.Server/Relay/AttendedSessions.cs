using Catty.Server.Runtimes;
using Catty.Server.Sessions;
using Catty.Server.Storage;

namespace Catty.Server.Relay;

/// <summary>
/// Counts the terminal clients this server relays to each session, and tells the session's runtime when the first
/// arrives and the last leaves: a session somebody is typing into gets the CPU before busy sessions nobody watches
/// (docs/design/0322, "CPU").
/// </summary>
internal sealed class AttendedSessions(SessionRuntimes runtimes, ILogger<AttendedSessions> logger)
{
    private readonly Dictionary<Guid, int> _clients = [];

    /// <summary>Marks a client of <paramref name="session"/> attached until the result is disposed.</summary>
    public IDisposable Attach(SessionRecord session)
    {
        if (session.Machine() is not { } machine)
        {
            return Detached.Instance;
        }

        lock (_clients)
        {
            var count = _clients.GetValueOrDefault(session.Id) + 1;
            _clients[session.Id] = count;
            if (count == 1)
            {
                Tell(session, machine, attended: true);
            }
        }

        return new Attachment(this, session, machine);
    }

    private void Detach(SessionRecord session, MachineAddress machine)
    {
        lock (_clients)
        {
            var count = _clients.GetValueOrDefault(session.Id) - 1;
            if (count > 0)
            {
                _clients[session.Id] = count;
                return;
            }

            _clients.Remove(session.Id);
            Tell(session, machine, attended: false);
        }
    }

    private void Tell(SessionRecord session, MachineAddress machine, bool attended)
    {
        try
        {
            runtimes.Get(session.Runtime).SetAttended(machine, attended);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // A priority hint: the session works the same without it.
            logger.LogDebug("Session {Label}: attended={Attended} not applied: {Error}", session.Label, attended, ex.Message);
        }
    }

    private sealed class Attachment(AttendedSessions owner, SessionRecord session, MachineAddress machine) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Detach(session, machine);
            }
        }
    }

    private sealed class Detached : IDisposable
    {
        public static readonly Detached Instance = new();

        public void Dispose()
        {
        }
    }
}
