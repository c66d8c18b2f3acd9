using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Relay;

/// <summary>
/// Browsers cannot set headers on a WebSocket, and a long-lived token in a URL ends up in logs and history; so a
/// signed-in browser asks for a ticket (<c>ctk_</c> + 32 random bytes, stored as SHA-256) valid for one session,
/// one user, one use and a few seconds, and puts that in the connect URL.
/// </summary>
internal sealed class TerminalTickets(TimeProvider time, IOptions<AuthOptions> options)
{
    public const string Prefix = "ctk_";

    public TimeSpan Lifetime => options.Value.TicketLifetime;

    public async Task<string> IssueAsync(CattyDbContext db, Guid sessionId, Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ticket = Secrets.New(Prefix);
        db.TerminalTickets.Add(new TerminalTicket { Hash = Secrets.Hash(ticket), SessionId = sessionId, UserId = userId, ExpiresAt = now + Lifetime });
        await db.SaveChangesAsync(cancellationToken);

        // Spent and expired tickets are worthless; drop them as new ones are made.
        await db.TerminalTickets.Where(t => t.ExpiresAt < now - TimeSpan.FromMinutes(1)).ExecuteDeleteAsync(cancellationToken);
        return ticket;
    }

    /// <summary>Spends the ticket for <paramref name="sessionId"/>; the user it was issued to, or null when it is unknown, spent or expired.</summary>
    public async Task<Guid?> RedeemAsync(CattyDbContext db, string ticket, Guid sessionId, CancellationToken cancellationToken)
    {
        if (!ticket.StartsWith(Prefix, StringComparison.Ordinal) || ticket.Length > 200)
        {
            return null;
        }

        var hash = Secrets.Hash(ticket);
        var now = time.GetUtcNow();

        // The conditional update is the single use: of two sockets racing with one ticket, one gets it.
        var spent = await db.TerminalTickets.Where(t => t.Hash == hash && t.SessionId == sessionId && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        return spent == 1
            ? await db.TerminalTickets.Where(t => t.Hash == hash).Select(t => (Guid?)t.UserId).FirstOrDefaultAsync(cancellationToken)
            : null;
    }
}
