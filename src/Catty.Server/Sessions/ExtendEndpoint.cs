using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Auth;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Sessions;

/// <summary><c>POST /v1/sessions/{id-or-label}/extend {"ttl_sec"}</c>: a later auto-stop deadline for a running session.</summary>
internal static class ExtendEndpoint
{
    public static async Task<Results<Ok<SessionInfo>, ErrorResult>> ExtendAsync(
        string idOrLabel, ExtendSessionRequest request, CurrentUser user, CattyDbContext db, SessionViews views,
        IOptions<SessionOptions> options, TimeProvider time, HttpContext context)
    {
        var session = await db.Sessions.AsNoTracking().Named(idOrLabel, user.Id).FirstOrDefaultAsync(context.RequestAborted);
        if (session is null)
        {
            return Errors.SessionNotFound(idOrLabel);
        }

        if (request.TtlSec <= 0)
        {
            return Errors.BadRequest("invalid_ttl", "ttl_sec must be a positive number of seconds.");
        }

        if (!session.IsLive())
        {
            return Errors.Conflict("session_not_running", $"Session {session.Label} is {session.Status.Replace('_', ' ')}; only a running session can be extended. Resume it instead.");
        }

        var now = time.GetUtcNow();
        var limit = options.Value.MaxExtendAhead;
        var from = session.ExpiresAt > now ? session.ExpiresAt : now;
        var wanted = from + TimeSpan.FromSeconds(request.TtlSec);
        if (wanted > now + limit)
        {
            var room = now + limit - from;
            return Errors.BadRequest("extend_too_long", room > TimeSpan.FromMinutes(1)
                ? $"A session may run at most {Hours(limit)} from now; {session.Label} can be extended by {Minutes(room)} at most."
                : $"A session may run at most {Hours(limit)} from now; {session.Label} already runs that long.");
        }

        // Conditional on the deadline read above, so two extends at once cannot both count from the same start.
        var updated = await db.Sessions
            .Where(s => s.Id == session.Id && s.ExpiresAt == session.ExpiresAt && (s.Status == SessionStatus.Running || s.Status == SessionStatus.Starting))
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.ExpiresAt, wanted), context.RequestAborted);
        if (updated == 0)
        {
            return Errors.Conflict("session_changed", $"Session {session.Label} changed meanwhile (stopped or extended); look again and retry.");
        }

        session.ExpiresAt = wanted;
        return TypedResults.Ok(views.Info(session, context.Request));
    }

    private static string Hours(TimeSpan span) => span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours)
        ? $"{span.TotalHours:0} h" : Minutes(span);

    private static string Minutes(TimeSpan span) => $"{Math.Floor(span.TotalMinutes):0} min";
}
