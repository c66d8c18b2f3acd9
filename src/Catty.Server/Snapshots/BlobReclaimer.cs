using Catty.Server.Blobs;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Snapshots;

/// <summary>What one reclamation removed.</summary>
internal sealed record ReclaimResult(int Blobs, int Manifests, int Downloads);

/// <summary>
/// Deletes what no snapshot refers to any more (0702): manifests of sessions that were deleted, materialized
/// downloads of snapshots that are gone, and content blobs that no remaining snapshot names. Mark and sweep:
/// every snapshot row's whole manifest is read (a failed read ends the attempt before anything is
/// deleted); then, under <see cref="BlobSweepGate"/> so no snapshot is counting on stored contents at that
/// moment, each <c>stored_blobs</c> row that is unmarked and older than the grace period (a snapshot that
/// finds a content already stored refreshes its time) loses its object, then its row.
/// </summary>
internal sealed class BlobReclaimer(
    IServiceScopeFactory scopes, IBlobStore store, SnapshotManifests manifests, BlobSweepGate gate,
    TimeProvider time, IOptions<StorageOptions> options, ILogger<BlobReclaimer> logger)
{
    private const int RowsPerBatch = 500;

    public async Task<ReclaimResult> ReclaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        var (manifestsDeleted, downloadsDeleted) = await DeleteOrphansAsync(db, ct);

        var cutoff = time.GetUtcNow() - options.Value.ReclaimGrace;
        int blobsDeleted;
        using (await gate.EnterSweepAsync(ct))
        {
            var marked = await MarkAsync(db, ct);
            var candidates = (await db.StoredBlobs.AsNoTracking().Where(b => b.StoredAt <= cutoff).Select(b => b.Sha256).ToListAsync(ct))
                .Where(sha => !marked.Contains(sha)).ToList();
            foreach (var chunk in candidates.Chunk(RowsPerBatch))
            {
                // Objects first: a row without its object would make a snapshot skip a content it needs.
                foreach (var sha in chunk)
                {
                    await store.DeleteAsync(SnapshotKeys.Blob(sha), ct);
                }

                var shas = chunk.ToList();
                await db.StoredBlobs.Where(b => EF.Parameter(shas).Contains(b.Sha256)).ExecuteDeleteAsync(ct);
            }

            blobsDeleted = candidates.Count;
        }

        var result = new ReclaimResult(blobsDeleted, manifestsDeleted, downloadsDeleted);
        if (result != new ReclaimResult(0, 0, 0))
        {
            logger.LogInformation("Reclaimed {Blobs} unreferenced blobs, {Manifests} manifests and {Downloads} downloads", result.Blobs, result.Manifests, result.Downloads);
        }

        return result;
    }

    /// <summary>Every content a snapshot row names, through its whole manifest (keyframe and change).</summary>
    private async Task<HashSet<string>> MarkAsync(CattyDbContext db, CancellationToken ct)
    {
        var marked = new HashSet<string>(StringComparer.Ordinal);
        var rows = await db.Snapshots.AsNoTracking().Select(s => new { s.SessionId, s.Seq, s.Digest }).ToListAsync(ct);
        foreach (var row in rows)
        {
            // A manifest that cannot be read throws and ends the attempt; one that is missing names nothing.
            var entries = await manifests.ReadWholeAsync(row.SessionId, row.Seq, row.Digest, ct);
            foreach (var entry in entries ?? [])
            {
                if (SnapshotKeys.IsSha256(entry.Sha256))
                {
                    marked.Add(entry.Sha256!);
                }
            }
        }

        return marked;
    }

    /// <summary>Manifests of sessions that no longer exist, and downloads of snapshots that no longer exist.</summary>
    private async Task<(int Manifests, int Downloads)> DeleteOrphansAsync(CattyDbContext db, CancellationToken ct)
    {
        var sessions = (await db.Sessions.AsNoTracking().Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        var orphanManifests = new List<string>();
        await foreach (var key in store.ListAsync("snapshots/", ct))
        {
            var parts = key.Split('/');
            if (parts.Length == 3 && Guid.TryParse(parts[1], out var sessionId) && !sessions.Contains(sessionId))
            {
                orphanManifests.Add(key);
            }
        }

        foreach (var key in orphanManifests)
        {
            await store.DeleteAsync(key, ct);
        }

        var snapshots = (await db.Snapshots.AsNoTracking().Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        var orphanDownloads = new List<string>();
        await foreach (var key in store.ListAsync("downloads/", ct))
        {
            var name = key["downloads/".Length..];
            if (name.EndsWith(".tar.gz", StringComparison.Ordinal) && Guid.TryParse(name[..^".tar.gz".Length], out var snapshotId) && !snapshots.Contains(snapshotId))
            {
                orphanDownloads.Add(key);
            }
        }

        foreach (var key in orphanDownloads)
        {
            await store.DeleteAsync(key, ct);
        }

        return (orphanManifests.Count, orphanDownloads.Count);
    }
}

/// <summary>Runs <see cref="BlobReclaimer"/> every <see cref="StorageOptions.ReclaimInterval"/>.</summary>
internal sealed class BlobReclaimSchedule(BlobReclaimer reclaimer, TimeProvider time, IOptions<StorageOptions> options, ILogger<BlobReclaimSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReclaimInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await reclaimer.ReclaimAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Blob reclamation failed; nothing unreferenced was lost, the next run tries again");
            }
        }
    }
}
