using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Audit;

/// <summary><c>GET /v1/audit</c>: the owner reads the newest audit events first.</summary>
internal static class AuditEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddSingleton<AuditLog>();

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/audit").RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Audit")
            .MapGet("/", ListAsync).WithName("ListAuditEvents")
            .WithSummary("Sign-ins, device approvals, token and session events, newest first (owner only); ?limit=, ?before=<id>.");
        return app;
    }

    private static async Task<Results<Ok<List<AuditEventInfo>>, ErrorResult>> ListAsync(
        int? limit, long? before, CurrentUser user, CattyDbContext db, HttpContext context)
    {
        if (!await user.IsOwnerAsync(db, context.RequestAborted))
        {
            return Errors.Forbidden("owner_only", "Only the server's owner may read the audit log.");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return Errors.BadRequest("invalid_limit", $"limit must be between 1 and {MaxLimit}.");
        }

        var query = db.AuditEvents.AsNoTracking();
        if (before is { } id)
        {
            query = query.Where(a => a.Id < id);
        }

        var events = await query.OrderByDescending(a => a.Id).Take(limit ?? DefaultLimit).ToListAsync(context.RequestAborted);
        return TypedResults.Ok(events.Select(a => new AuditEventInfo(a.Id, a.At, a.Kind, a.UserId, a.Email, a.SourceAddress, a.Detail)).ToList());
    }
}
