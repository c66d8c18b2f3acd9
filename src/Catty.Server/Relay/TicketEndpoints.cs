using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Auth;
using Catty.Server.Sessions;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Relay;

/// <summary><c>POST /v1/sessions/{id-or-label}/ticket</c>: a single-use, short-lived ticket for a browser's terminal WebSocket.</summary>
internal static class TicketEndpoints
{
    public static IEndpointRouteBuilder MapTickets(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/sessions").RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Terminal")
            .MapPost("/{idOrLabel}/ticket", IssueAsync).WithName("CreateTerminalTicket")
            .WithSummary("A ticket to open connect_url + \"?ticket=\" once, within expires_in seconds.");
        return app;
    }

    private static async Task<Results<Ok<TicketResponse>, ErrorResult>> IssueAsync(
        string idOrLabel, CurrentUser user, CattyDbContext db, TerminalTickets tickets, SessionViews views, HttpContext context)
    {
        var session = await db.Sessions.AsNoTracking().Named(idOrLabel, user.Id).FirstOrDefaultAsync(context.RequestAborted);
        if (session is null)
        {
            return Errors.SessionNotFound(idOrLabel);
        }

        if (!SessionAccess.IsRunning(session))
        {
            return Errors.Conflict("session_not_running", $"Session {session.Label} is {session.Status}; it cannot be connected to.");
        }

        var ticket = await tickets.IssueAsync(db, session.Id, user.Id, context.RequestAborted);
        return TypedResults.Ok(new TicketResponse(ticket, (int)tickets.Lifetime.TotalSeconds, views.ConnectUrl(session.Id, context.Request)));
    }
}
