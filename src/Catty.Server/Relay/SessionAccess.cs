using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Relay;

/// <summary>
/// The URLs that reach a session's machine (the terminal socket and the upload) find their session the same way.
/// They accept the session's connect token (<c>Bearer cct_…</c>), a browser's single-use ticket (<c>?ticket=</c>),
/// or the owner's own API or access token; someone else's session is the same 404 as a missing one.
/// </summary>
internal static class SessionAccess
{
    public const string TicketParameter = "ticket";

    /// <summary>The session the request may open, or the error to answer.</summary>
    public static async Task<(SessionRecord? Session, ErrorResult? Error)> FindSessionAsync(
        string sessionId, HttpContext context, ConnectTokens tokens, TerminalTickets tickets, CattyDbContext db)
    {
        var ct = context.RequestAborted;
        if (!Guid.TryParse(sessionId, out var id))
        {
            return (null, Errors.SessionNotFound(sessionId));
        }

        Guid? ownerId = null;
        if (context.Request.Query[TicketParameter].ToString() is { Length: > 0 } ticket)
        {
            ownerId = await tickets.RedeemAsync(db, ticket, id, ct);
            if (ownerId is null)
            {
                return (null, Errors.Unauthorized("This ticket is invalid, expired or already used; ask for a new one."));
            }
        }
        else if (ApiTokenAuthenticationHandler.BearerToken(context.Request) is not { } bearer)
        {
            return (null, Errors.Unauthorized("A connect token (Authorization: Bearer <connect_token>) or a ticket (?ticket=) is required."));
        }
        else if (bearer.StartsWith(ConnectTokens.Prefix, StringComparison.Ordinal))
        {
            if (!tokens.IsValid(bearer, id))
            {
                return (null, Errors.Unauthorized("A valid connect token for this session is required (Authorization: Bearer <connect_token>)."));
            }
        }
        else if (context.User.Identity?.IsAuthenticated == true && !AuthSchemes.IsCookie(context) && CurrentUser.IdOf(context.User) is { } userId)
        {
            ownerId = userId;
        }
        else
        {
            return (null, Errors.Unauthorized("The token is invalid or expired."));
        }

        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return session is null || (ownerId is { } owner && session.OwnerId != owner)
            ? (null, Errors.SessionNotFound(sessionId))
            : (session, null);
    }

    /// <summary>Whether the session's machine is up and reachable.</summary>
    public static bool IsRunning(SessionRecord session) =>
        session.Status == SessionStatus.Running && session.MachineState == MachineState.Started && session.AgentEndpoint is not null;
}
