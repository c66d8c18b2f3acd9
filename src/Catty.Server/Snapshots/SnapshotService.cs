using System.Collections.Concurrent;
using System.Text.Json;
using Catty.Sdk;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Api;
using Catty.Server.Blobs;
using Catty.Server.Runtimes;
using Catty.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catty.Server.Snapshots;

/// <summary>
/// Takes a session's snapshot by pulling from its agent: the manifest (only the change since the last
/// keyframe when the agent still holds it, nothing when the workspace is the newest snapshot's), then only
/// contents the store lacks, then the manifest object; one flush makes them all durable, and only then one
/// transaction records the new contents and the snapshot row. Blobs are immutable and the row comes last, so
/// an attempt that dies halfway never damages the previous snapshot; it only leaves blobs the next one reuses.
/// </summary>
internal sealed class SnapshotService(
    IServiceScopeFactory scopes, IBlobStore store, SnapshotManifests manifests, IOptions<SnapshotOptions> options, TimeProvider time,
    BlobSweepGate sweepGate, StorageQuota quota, ILogger<SnapshotService> logger)
{
    private const int FetchParallelism = 3;
    private const long BatchBytes = 16L * 1024 * 1024;

    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();
    private readonly ConcurrentDictionary<Guid, KeyframeChain> _chains = new();
    private long _blobsFetched;

    /// <summary>Contents pulled from agents since start; an unchanged workspace adds none.</summary>
    public long BlobsFetched => Interlocked.Read(ref _blobsFetched);

    /// <summary>Called after each blob stored in an attempt with the count so far; a test makes it throw to cut an attempt short.</summary>
    internal Action<int>? AfterBlobStored { get; set; }

    /// <summary>Awaited once a changed manifest is in hand, before any content is fetched; a test changes the workspace there.</summary>
    internal Func<Task>? AfterManifest { get; set; }

    /// <summary>Raised after every attempt; lets tests wait instead of polling.</summary>
    internal event Action<Guid, SnapshotOutcome>? Attempted;

    /// <summary>One attempt at most at a time per session; a second caller waits and then takes its own.</summary>
    public async Task<SnapshotOutcome> TakeAsync(Guid sessionId, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(sessionId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        SnapshotOutcome outcome;
        try
        {
            outcome = await TakeLockedAsync(sessionId, ct);
        }
        finally
        {
            gate.Release();
        }

        Attempted?.Invoke(sessionId, outcome);
        return outcome;
    }

    /// <summary>The last snapshot before a stop: bounded in time, and never failing the stop.</summary>
    public async Task TakeFinalAsync(Guid sessionId)
    {
        using var deadline = new CancellationTokenSource(options.Value.FinalTimeout, time);
        try
        {
            var outcome = await TakeAsync(sessionId, deadline.Token);
            logger.LogInformation("Final snapshot of session {SessionId}: {Outcome}", sessionId, outcome);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Final snapshot of session {SessionId} failed; the previous snapshot stays the newest", sessionId);
        }
    }

    public void Forget(Guid sessionId)
    {
        _gates.TryRemove(sessionId, out _);
        _chains.TryRemove(sessionId, out _);
    }

    private async Task<SnapshotOutcome> TakeLockedAsync(Guid sessionId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CattyDbContext>();
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is not { AgentEndpoint: { } endpoint } || session.MachineState == MachineState.Destroyed)
        {
            return SnapshotOutcome.Unavailable;
        }

        var last = await db.Snapshots.AsNoTracking().Where(s => s.SessionId == sessionId).OrderByDescending(s => s.Seq).FirstOrDefaultAsync(ct);
        var chain = _chains.TryGetValue(sessionId, out var known) && known.LastSeq == last?.Seq && !known.RefreshDue ? known : null;
        using var agent = new AgentClient(endpoint);
        var manifest = await FetchManifestAsync(agent, chain?.KeyframeDigest, last?.Digest, ct);
        if (manifest is null)
        {
            return SnapshotOutcome.Unavailable;
        }

        if (last is not null && manifest.Digest == last.Digest)
        {
            return SnapshotOutcome.Unchanged;
        }

        if (!Fits(manifest, chain))
        {
            logger.LogWarning("Session {SessionId}'s agent answered a manifest out of order or against a base that was not asked for", sessionId);
            return SnapshotOutcome.Unavailable;
        }

        if (AfterManifest is { } afterManifest)
        {
            await afterManifest();
        }

        var files = manifest.Entries.Where(e => e.Kind == ManifestKinds.File && SnapshotKeys.IsSha256(e.Sha256)).ToList();
        if (quota.Enabled)
        {
            var total = manifest.Base is null ? files.Sum(f => f.Size) : manifest.Bytes;
            var others = await StorageQuota.UsageAsync(db, session.OwnerId, sessionId, ct);
            if (quota.Check(others, total, "this snapshot") is not null)
            {
                logger.LogWarning("Snapshot of session {SessionId} not stored: its owner's storage quota would be exceeded", sessionId);
                return SnapshotOutcome.OverQuota;
            }
        }

        // From deciding which contents are stored until the row names them, no sweep may delete one.
        using var sweepFree = await sweepGate.EnterSnapshotAsync(ct);
        var (complete, stored) = await FetchMissingBlobsAsync(db, agent, files, ct);
        if (!complete)
        {
            // What did arrive is kept, so the next attempt fetches only the rest.
            await store.FlushAsync(ct);
            await CommitAsync(db, stored, null, ct);
            return SnapshotOutcome.Incomplete;
        }

        var seq = (last?.Seq ?? 0) + 1;
        var keyframe = manifest.Base is null;
        await manifests.WriteUnflushedAsync(sessionId, seq, keyframe
            ? new StoredManifest(manifest.Digest, manifest.Entries)
            : new StoredManifest(manifest.Digest, manifest.Entries, new StoredManifestBase(chain!.KeyframeSeq, chain.KeyframeDigest), manifest.Removed), ct);
        await store.FlushAsync(ct);
        await CommitAsync(db, stored, new SnapshotRecord
        {
            Id = Guid.NewGuid(),
            SessionId = sessionId,
            Seq = seq,
            CreatedAt = time.GetUtcNow(),
            // A change lists only what changed; the agent counts the whole workspace for it.
            FileCount = keyframe ? files.Count : manifest.Files,
            TotalBytes = keyframe ? files.Sum(f => f.Size) : manifest.Bytes,
            Digest = manifest.Digest,
        }, ct);
        _chains[sessionId] = keyframe
            ? KeyframeChain.Start(seq, manifest.Digest, manifest.Entries.Count)
            : chain!.After(seq, manifest.Entries.Count + manifest.Removed!.Count);
        await PruneAsync(db, sessionId, ct);
        return SnapshotOutcome.Taken;
    }

    /// <summary>A whole manifest, or a change against exactly the keyframe asked for; paths in order either way.</summary>
    private static bool Fits(WorkspaceManifestDto manifest, KeyframeChain? asked) =>
        (manifest.Base is null
            ? manifest.Removed is null
            : manifest.Base == asked?.KeyframeDigest && manifest.Removed is not null && ManifestDelta.IsSorted(manifest.Removed))
        && ManifestDelta.IsSorted(manifest.Entries);

    private static async Task<WorkspaceManifestDto?> FetchManifestAsync(AgentClient agent, string? baseDigest, string? haveDigest, CancellationToken ct)
    {
        var query = string.Join('&', new[] { ("base", baseDigest), ("have", haveDigest) }.Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={p.Item2}"));
        using var response = await agent.GetAsync(query.Length == 0 ? "snapshot/manifest" : "snapshot/manifest?" + query, ct);
        if (response is not { IsSuccessStatusCode: true })
        {
            return null;
        }

        try
        {
            return await response.Content.ReadFromJsonAsync(CattyJson.Default.WorkspaceManifestDto, ct);
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>New contents and the snapshot row (if any) in one transaction, once the store has flushed what they name.</summary>
    private async Task CommitAsync(CattyDbContext db, List<string> storedShas, SnapshotRecord? snapshot, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await StoredBlobRows.AddAsync(db, storedShas, time.GetUtcNow(), ct);
        if (snapshot is not null)
        {
            db.Snapshots.Add(snapshot);
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>Fetches the contents the store lacks, unflushed; whether all arrived, and which did.</summary>
    private async Task<(bool Complete, List<string> Stored)> FetchMissingBlobsAsync(CattyDbContext db, AgentClient agent, List<ManifestEntryDto> files, CancellationToken ct)
    {
        var wanted = files.GroupBy(f => f.Sha256!, StringComparer.Ordinal).Select(g => new WantedBlob(g.Key, g.First().Size)).ToList();
        var known = await StoredBlobRows.KnownAsync(db, wanted.ConvertAll(w => w.Sha256), ct);
        await StoredBlobRows.TouchAsync(db, known, time.GetUtcNow(), ct);
        var missing = wanted.Where(w => !known.Contains(w.Sha256)).ToList();
        var storedShas = new List<string>();
        var complete = true;
        // A few batches at once: the agent reads while the server hashes, compresses and writes.
        await Parallel.ForEachAsync(Batches(missing), new ParallelOptions { MaxDegreeOfParallelism = FetchParallelism, CancellationToken = ct }, async (batch, token) =>
        {
            Interlocked.Add(ref _blobsFetched, batch.Count);
            var whole = await BlobFetcher.FetchAsync(agent, store, batch, sha =>
            {
                int count;
                lock (storedShas)
                {
                    storedShas.Add(sha);
                    count = storedShas.Count;
                }

                AfterBlobStored?.Invoke(count);
            }, token);
            if (!whole)
            {
                Volatile.Write(ref complete, false);
            }
        });

        return (complete, storedShas);
    }

    /// <summary>
    /// Requests of up to <see cref="BlobFrames.MaxPerRequest"/> contents and <see cref="BatchBytes"/> (a bigger
    /// file goes alone), small enough that a few thousand files still spread over every parallel fetch.
    /// </summary>
    private static IEnumerable<List<WantedBlob>> Batches(List<WantedBlob> missing)
    {
        var most = Math.Clamp(missing.Count / (FetchParallelism * 4), 16, BlobFrames.MaxPerRequest);
        var batch = new List<WantedBlob>();
        long bytes = 0;
        foreach (var blob in missing)
        {
            if (batch.Count > 0 && (batch.Count == most || bytes + blob.Size > BatchBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(blob);
            bytes += blob.Size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private async Task PruneAsync(CattyDbContext db, Guid sessionId, CancellationToken ct)
    {
        var rows = await db.Snapshots.Where(s => s.SessionId == sessionId).OrderByDescending(s => s.Seq).ToListAsync(ct);
        var old = rows.Skip(options.Value.History).ToList();
        if (old.Count == 0)
        {
            return;
        }

        // Rows go first: a manifest without a row is invisible, a row without its manifest would not be.
        db.Snapshots.RemoveRange(old);
        await db.SaveChangesAsync(ct);
        await manifests.PruneAsync(sessionId, rows[options.Value.History - 1].Seq, ct);
        foreach (var snapshot in old)
        {
            await store.DeleteAsync(SnapshotKeys.Download(snapshot.Id), ct);
        }
    }
}
