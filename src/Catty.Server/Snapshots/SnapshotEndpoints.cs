using Catty.Sdk.Api;
using Catty.Server.Api;
using Catty.Server.Auth;
using Catty.Server.Blobs;
using Catty.Server.Sessions;
using Catty.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Snapshots;

/// <summary>
/// <c>GET /v1/sessions/{id-or-label}/snapshots</c>, <c>GET /v1/sessions/{id-or-label}/download[?snapshot=]</c>
/// and, for the folder store, the signed link it hands out: <c>GET /v1/downloads/{key}?expires=&amp;sig=</c>.
/// </summary>
internal static class SnapshotEndpoints
{
    private const string DownloadsPrefix = "downloads/";

    public static IEndpointRouteBuilder MapSnapshots(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/v1/sessions").RequireAuthorization(AuthExtensions.ApiPolicy).WithTags("Snapshots");
        sessions.MapGet("/{idOrLabel}/snapshots", ListAsync).WithName("ListSnapshots").WithSummary("The session's stored snapshots, oldest first.");
        sessions.MapPost("/{idOrLabel}/snapshots", TakeAsync).WithName("TakeSnapshot")
            .WithSummary("Snapshots a running session now; nothing is stored when the workspace is unchanged.");
        sessions.MapGet("/{idOrLabel}/download", DownloadAsync).WithName("DownloadSnapshot")
            .WithSummary("A short-lived link to the newest snapshot (or ?snapshot=<id>) as .tar.gz.");
        app.MapGet("/v1/downloads/{**key}", ServeAsync).AllowAnonymous().WithTags("Snapshots").WithName("ServeDownload")
            .WithSummary("A signed, expiring download link; needs no other credentials.");
        return app;
    }

    private static async Task<Results<Ok<List<SnapshotInfo>>, ErrorResult>> ListAsync(string idOrLabel, CurrentUser user, CattyDbContext db, HttpContext context)
    {
        var session = await db.Sessions.AsNoTracking().Named(idOrLabel, user.Id).FirstOrDefaultAsync(context.RequestAborted);
        if (session is null)
        {
            return Errors.SessionNotFound(idOrLabel);
        }

        var snapshots = await db.Snapshots.AsNoTracking().Where(s => s.SessionId == session.Id).OrderBy(s => s.Seq).ToListAsync(context.RequestAborted);
        return TypedResults.Ok(snapshots.Select(s => new SnapshotInfo(s.Id, s.Seq, s.CreatedAt, s.FileCount, s.TotalBytes)).ToList());
    }

    private static async Task<Results<Ok<TakeSnapshotResponse>, ErrorResult>> TakeAsync(
        string idOrLabel, CurrentUser user, CattyDbContext db, SnapshotService snapshots, StorageQuota quota, HttpContext context)
    {
        var session = await db.Sessions.AsNoTracking().Named(idOrLabel, user.Id).FirstOrDefaultAsync(context.RequestAborted);
        if (session is null)
        {
            return Errors.SessionNotFound(idOrLabel);
        }

        if (session.Status != SessionStatus.Running)
        {
            return Errors.Conflict("session_not_running", $"Session {session.Label} is {session.Status}; its last snapshot was taken at stop.");
        }

        var outcome = await snapshots.TakeAsync(session.Id, context.RequestAborted);
        if (outcome == SnapshotOutcome.OverQuota)
        {
            var usage = await StorageQuota.UsageAsync(db, user.Id, null, context.RequestAborted);
            return quota.Check(usage, 0, "this snapshot")
                ?? Errors.QuotaExceeded($"Storage quota reached: this snapshot of {session.Label} would take your storage past Catty:Storage:QuotaMb; the previous snapshot stays.");
        }

        if (outcome == SnapshotOutcome.Unavailable)
        {
            return Errors.BadGateway("agent_unavailable", $"Session {session.Label} did not answer; check its status with live=true.");
        }

        var newest = await db.Snapshots.AsNoTracking().Where(s => s.SessionId == session.Id).OrderByDescending(s => s.Seq).FirstOrDefaultAsync(context.RequestAborted);
        return TypedResults.Ok(new TakeSnapshotResponse(
            outcome.ToString().ToLowerInvariant(), newest is null ? null : new SnapshotInfo(newest.Id, newest.Seq, newest.CreatedAt, newest.FileCount, newest.TotalBytes)));
    }

    private static async Task<Results<Ok<DownloadResponse>, ErrorResult>> DownloadAsync(
        string idOrLabel, string? snapshot, CurrentUser user, CattyDbContext db, SnapshotArchive archive, IBlobStore store,
        BlobDownloadSigner signer, IOptions<SnapshotOptions> options, IOptions<CattyOptions> server, HttpContext context)
    {
        var ct = context.RequestAborted;
        var session = await db.Sessions.AsNoTracking().Named(idOrLabel, user.Id).FirstOrDefaultAsync(ct);
        if (session is null)
        {
            return Errors.SessionNotFound(idOrLabel);
        }

        var query = db.Snapshots.AsNoTracking().Where(s => s.SessionId == session.Id);
        if (snapshot is not null)
        {
            if (!Guid.TryParse(snapshot, out var snapshotId))
            {
                return Errors.BadRequest("invalid_snapshot", $"'{snapshot}' is not a snapshot id.");
            }

            query = query.Where(s => s.Id == snapshotId);
        }

        var chosen = await query.OrderByDescending(s => s.Seq).FirstOrDefaultAsync(ct);
        if (chosen is null)
        {
            return NoSnapshot(snapshot is null
                ? $"Session {session.Label} has no snapshot yet; the first is taken about 10 s after start."
                : $"Session {session.Label} has no snapshot {snapshot}.");
        }

        if (await archive.EnsureAsync(chosen, ct) is not { } built)
        {
            return NoSnapshot($"Snapshot {chosen.Id} of session {session.Label} is no longer whole in the store.");
        }

        var lifetime = options.Value.DownloadLinkLifetime;
        var url = await store.GetDownloadUrlAsync(built.Key, lifetime, session.Label + ".tar.gz", ct)
            ?? new Uri($"{BaseUrl(context.Request, server.Value.PublicUrl)}/v1/downloads/{built.Key}?{signer.Sign(built.Key, lifetime)}");
        return TypedResults.Ok(new DownloadResponse(url.ToString(), built.Size));
    }

    private static async Task<Results<FileStreamHttpResult, ErrorResult>> ServeAsync(
        string key, string? expires, string? sig, IBlobStore store, BlobDownloadSigner signer, HttpContext context)
    {
        if (!key.StartsWith(DownloadsPrefix, StringComparison.Ordinal) || !signer.TryVerify(key, expires, sig))
        {
            return Errors.Forbidden("invalid_link", "This download link is not valid or has expired; ask for a new one.");
        }

        var content = await store.OpenReadAsync(key, context.RequestAborted);
        if (content is null)
        {
            return new ErrorResult(StatusCodes.Status404NotFound, "not_found", "This download is gone; ask for a new link.");
        }

        return TypedResults.Stream(content, "application/gzip", fileDownloadName: key[DownloadsPrefix.Length..]);
    }

    private static ErrorResult NoSnapshot(string message) => new(StatusCodes.Status404NotFound, "no_snapshot", message);

    private static string BaseUrl(HttpRequest request, string? publicUrl) =>
        publicUrl is { Length: > 0 } ? publicUrl.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";
}
