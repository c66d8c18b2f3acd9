using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Audit;
using Catty.Server.Auth;
using Catty.Server.Runtimes;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Sessions;

/// <summary><c>/v1/sessions</c>: create, list, get, stop and read the output of the caller's sessions.</summary>
internal static class SessionEndpoints
{
    private static readonly TimeSpan AgentLogsTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/v1/sessions").RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Sessions");
        var maxBody = app.ServiceProvider.GetRequiredService<IOptions<SessionOptions>>().Value.MaxCreateBodyBytes;
        sessions.MapPost("/", CreateAsync).WithName("CreateSession").WithMetadata(new BodySizeLimit(maxBody)).RequireRateLimiting(SessionRateLimits.CreatePolicy)
            .WithSummary("Starts a session; answers how to connect to it.");
        sessions.MapGet("/", ListAsync).WithName("ListSessions").WithSummary("The caller's sessions, running first, then newest.");
        sessions.MapGet("/{idOrLabel}", GetAsync).WithName("GetSession").WithSummary("One session; live=true asks its machine first.");
        sessions.MapPost("/{idOrLabel}/stop", StopAsync).WithName("StopSession").WithSummary("Stops a session; delete=true also drops its record.");
        sessions.MapPost("/{idOrLabel}/extend", ExtendEndpoint.ExtendAsync).WithName("ExtendSession")
            .WithSummary("Moves the auto-stop deadline of a running session later by ttl_sec, at most Catty:Sessions:MaxExtendAhead from now.");
        sessions.MapGet("/{idOrLabel}/logs", LogsAsync).WithName("GetSessionLogs").WithSummary("The session's recent terminal output.");
        return app;
    }

    private static async Task<Results<Ok<CreateSessionResponse>, ErrorResult>> CreateAsync(
        CreateSessionRequest request, CurrentUser user, SessionStarter starter, SessionViews views, AuditLog audit, HttpContext context)
    {
        var created = await starter.CreateAsync(user, request, context.RequestAborted);
        if (created.Failed)
        {
            return created.Error;
        }

        await audit.RecordAsync(AuditKinds.SessionCreated, user.Id, context, $"{created.Value.Label} ({created.Value.Agent}, {created.Value.Region})");
        return TypedResults.Ok(views.Created(created.Value, context.Request));
    }

    private static async Task<Ok<List<SessionInfo>>> ListAsync(CurrentUser user, CattyDbContext db, SessionViews views, HttpContext context)
    {
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.OwnerId == user.Id)
            .OrderBy(s => s.Status == SessionStatus.Running || s.Status == SessionStatus.Starting ? 0 : 1)
            .ThenByDescending(s => s.CreatedAt)
            .ToListAsync(context.RequestAborted);
        return TypedResults.Ok(sessions.Select(s => views.Info(s, context.Request)).ToList());
    }

    private static async Task<Results<Ok<SessionInfo>, ErrorResult>> GetAsync(
        string idOrLabel, bool? live, CurrentUser user, CattyDbContext db, SessionReconciler reconciler, SessionStopper stopper, SessionViews views, HttpContext context)
    {
        var session = await db.Sessions.AsNoTracking().Named(idOrLabel, user.Id).FirstOrDefaultAsync(context.RequestAborted);
        if (session is null)
        {
            return Errors.SessionNotFound(idOrLabel);
        }

        if (live == true && await reconciler.ReconcileAsync(session, context.RequestAborted) is not { Condition: MachineCondition.Running })
        {
            // Ended now or ending already (e.g. its watcher noticed first): answer with the settled state.
            await stopper.SettledAsync(session.Id);
            session = await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == session.Id, context.RequestAborted);
        }

        return TypedResults.Ok(views.Info(session, context.Request));
    }

    private static async Task<Results<NoContent, Ok<SessionInfo>, ErrorResult>> StopAsync(
        string idOrLabel, bool? delete, CurrentUser user, CattyDbContext db, SessionStopper stopper, SessionRuntimes runtimes, SessionViews views,
        AuditLog audit, HttpContext context)
    {
        var session = await db.Sessions.AsNoTracking().Named(idOrLabel, user.Id).FirstOrDefaultAsync(context.RequestAborted);
        if (session is null)
        {
            return Errors.SessionNotFound(idOrLabel);
        }

        if (session.IsLive() && await stopper.StopAsync(session.Id, SessionEnd.ByUser))
        {
            await audit.RecordAsync(AuditKinds.SessionStopped, user.Id, context, session.Label + (delete == true ? " (deleted)" : ""));
        }

        if (delete != true)
        {
            return TypedResults.NoContent();
        }

        session = await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == session.Id, CancellationToken.None);
        await runtimes.Get(session.Runtime).DeleteAsync(new MachineAddress(session.MachineId, session.AgentEndpoint ?? "", session.AgentPid), CancellationToken.None);
        await db.Sessions.Where(s => s.Id == session.Id).ExecuteDeleteAsync(CancellationToken.None);
        return TypedResults.Ok(views.Info(session, context.Request));
    }

    private static async Task<Results<FileContentHttpResult, ErrorResult>> LogsAsync(
        string idOrLabel, CurrentUser user, CattyDbContext db, SessionRuntimes runtimes, HttpContext context)
    {
        var session = await db.Sessions.AsNoTracking().Named(idOrLabel, user.Id).FirstOrDefaultAsync(context.RequestAborted);
        if (session is null)
        {
            return Errors.SessionNotFound(idOrLabel);
        }

        byte[]? output = null;
        if (session.IsLive() && session.Machine() is { } machine)
        {
            using var agent = new AgentClient(machine.AgentEndpoint);
            output = await agent.LogsAsync(AgentLogsTimeout, context.RequestAborted);
        }

        output ??= await runtimes.Get(session.Runtime).ReadFinalOutputAsync(
            new MachineAddress(session.MachineId, session.AgentEndpoint ?? "", session.AgentPid), context.RequestAborted);
        return TypedResults.Bytes(output, "application/octet-stream");
    }

    /// <summary>Routing applies this to the request before the body is read; past it Kestrel answers 413.</summary>
    private sealed class BodySizeLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
    }
}
