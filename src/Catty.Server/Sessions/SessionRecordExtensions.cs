using Catty.Sdk.Api;
using Catty.Server.Runtimes;
using Catty.Server.Storage;

namespace Catty.Server.Sessions;

internal static class SessionRecordExtensions
{
    /// <summary>Starting or running: its machine should exist.</summary>
    public static bool IsLive(this SessionRecord session) =>
        session.Status is SessionStatus.Running or SessionStatus.Starting;

    /// <summary>Where its machine's agent is, once it was started.</summary>
    public static MachineAddress? Machine(this SessionRecord session) =>
        session.AgentEndpoint is { } endpoint ? new MachineAddress(session.MachineId, endpoint, session.AgentPid) : null;

    /// <summary>The caller's session named by id or by label. Someone else's session is simply not found.</summary>
    public static IQueryable<SessionRecord> Named(this IQueryable<SessionRecord> sessions, string idOrLabel, Guid ownerId) =>
        Guid.TryParse(idOrLabel, out var id)
            ? sessions.Where(s => s.OwnerId == ownerId && s.Id == id)
            : sessions.Where(s => s.OwnerId == ownerId && s.Label == idOrLabel);
}
