using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Sessions;

/// <summary>
/// <c>GET /v1/admin/sessions</c>: the owner's explicit view of everyone's sessions. Every other session call only
/// ever sees the caller's own.
/// </summary>
internal static class AdminSessionEndpoints
{
    public static IEndpointRouteBuilder MapAdminSessions(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/admin").RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Admin")
            .MapGet("/sessions", ListAsync).WithName("ListAllSessions").WithSummary("Every user's sessions, running first (owner only).");
        return app;
    }

    private static async Task<Results<Ok<List<AdminSessionInfo>>, ErrorResult>> ListAsync(CurrentUser user, CattyDbContext db, HttpContext context)
    {
        if (!await user.IsOwnerAsync(db, context.RequestAborted))
        {
            return Errors.Forbidden("owner_only", "Only the server's owner may see everyone's sessions.");
        }

        var rows = await db.Sessions.AsNoTracking()
            .Join(db.Users.AsNoTracking(), s => s.OwnerId, u => u.Id, (s, u) => new { Session = s, u.Email })
            .OrderBy(r => r.Session.Status == SessionStatus.Running || r.Session.Status == SessionStatus.Starting ? 0 : 1)
            .ThenByDescending(r => r.Session.CreatedAt)
            .ToListAsync(context.RequestAborted);
        return TypedResults.Ok(rows.Select(r => new AdminSessionInfo(
            r.Session.Id, r.Session.Label, r.Session.Status, r.Session.Region, r.Session.Agent, r.Session.CreatedAt,
            new UserRef(r.Session.OwnerId, r.Email), r.Session.StoppedAt)).ToList());
    }
}
