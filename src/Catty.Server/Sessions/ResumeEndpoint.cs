using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Audit;
using Catty.Server.Auth;
using Catty.Server.Runtimes;
using Catty.Server.Snapshots;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Sessions;

/// <summary>
/// <c>POST /v1/sessions/{id-or-label}/resume</c>: a stopped session starts again in a new machine (same agent,
/// region and duration) whose workspace is the old one's newest snapshot, uploaded before its program starts.
/// Secrets are never stored, so a resumed session has none.
/// </summary>
internal static class ResumeEndpoint
{
    public static async Task<Results<Ok<SessionInfo>, ErrorResult>> ResumeAsync(
        string idOrLabel, CurrentUser user, CattyDbContext db, SessionStarter starter, SessionStopper stopper, SnapshotManifests manifests,
        SnapshotZip zips, SessionViews views, AuditLog audit, IOptions<SessionOptions> options, ILoggerFactory logs, HttpContext context)
    {
        var ct = context.RequestAborted;
        var old = await db.Sessions.AsNoTracking().Named(idOrLabel, user.Id).FirstOrDefaultAsync(ct);
        if (old is null)
        {
            return Errors.SessionNotFound(idOrLabel);
        }

        if (old.IsLive())
        {
            return Errors.Conflict("session_running", $"Session {old.Label} is still running; connect to it instead.");
        }

        var snapshot = await db.Snapshots.AsNoTracking().Where(s => s.SessionId == old.Id).OrderByDescending(s => s.Seq).FirstOrDefaultAsync(ct);
        var manifest = snapshot is null ? null : await manifests.ReadWholeAsync(snapshot.SessionId, snapshot.Seq, snapshot.Digest, ct);
        if (snapshot is null || manifest is null)
        {
            return Errors.Conflict("no_snapshot", snapshot is null
                ? $"Session {old.Label} has no saved workspace to resume from: it stopped before its first snapshot."
                : $"The newest snapshot of session {old.Label} is no longer whole in the store; it cannot be resumed.");
        }

        await using var zip = await zips.WriteAsync(manifest, snapshot.CreatedAt, ct);
        if (zip is null)
        {
            return Errors.Conflict("no_snapshot", $"The newest snapshot of session {old.Label} is no longer whole in the store; it cannot be resumed.");
        }

        var limits = options.Value;
        var ttl = Math.Clamp(old.TtlSec, (int)limits.MinTtl.TotalSeconds, (int)limits.MaxTtl.TotalSeconds);
        var created = await starter.CreateAsync(user, new CreateSessionRequest(old.Agent, Region: old.Region, TtlSec: ttl), ct);
        if (created.Failed)
        {
            return created.Error;
        }

        var session = created.Value;
        await db.Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(set => set.SetProperty(s => s.ResumedFrom, old.Id), CancellationToken.None);
        session.ResumedFrom = old.Id;

        using var agent = new AgentClient(session.AgentEndpoint!);
        var answer = await agent.UploadAsync(zip, zip.Length, CancellationToken.None);
        if (answer is not { Status: StatusCodes.Status200OK })
        {
            logs.CreateLogger(typeof(ResumeEndpoint)).LogWarning("Resuming {Old} as {New}: the workspace upload was refused ({Status})",
                old.Label, session.Label, answer?.Status);
            await stopper.StopAsync(session.Id, SessionEnd.ByUser);
            return Errors.BadGateway("resume_failed", $"The new session {session.Label} did not take the saved workspace of {old.Label}; it was stopped.");
        }

        await audit.RecordAsync(AuditKinds.SessionCreated, user.Id, context, $"{session.Label} (resumed from {old.Label})");
        return TypedResults.Ok(views.Info(session, context.Request));
    }
}
