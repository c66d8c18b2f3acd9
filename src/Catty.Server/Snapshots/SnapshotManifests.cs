using System.Globalization;
using System.Text.Json;
using Catty.Sdk.AgentControl;
using Catty.Server.Blobs;

namespace Catty.Server.Snapshots;

/// <summary>
/// Snapshot manifests in the blob store: keyframes (whole manifests) and changes against a keyframe, so a
/// snapshot in which one file changed stores that one entry rather than the whole workspace again. Reading
/// rebuilds the whole manifest and checks it against the snapshot's digest.
/// </summary>
internal sealed class SnapshotManifests(IBlobStore store)
{
    /// <summary>Writes a snapshot's object, unflushed: the caller flushes the store before the row names it.</summary>
    public async Task WriteUnflushedAsync(Guid sessionId, int seq, StoredManifest manifest, CancellationToken ct)
    {
        using var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, SnapshotJson.Default.StoredManifest));
        await store.PutUnflushedAsync(SnapshotKeys.Manifest(sessionId, seq), json, ct);
    }

    /// <summary>The stored object as it is; null when it is missing or unreadable.</summary>
    public async Task<StoredManifest?> ReadAsync(Guid sessionId, int seq, CancellationToken ct)
    {
        await using var json = await store.OpenReadAsync(SnapshotKeys.Manifest(sessionId, seq), ct);
        if (json is null)
        {
            return null;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(json, SnapshotJson.Default.StoredManifest, ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The whole manifest of snapshot <paramref name="seq"/>, its change applied to its keyframe; null when an
    /// object is missing or the result does not hash to <paramref name="digest"/> (the snapshot's own).
    /// </summary>
    public async Task<IReadOnlyList<ManifestEntryDto>?> ReadWholeAsync(Guid sessionId, int seq, string digest, CancellationToken ct)
    {
        var stored = await ReadAsync(sessionId, seq, ct);
        IReadOnlyList<ManifestEntryDto>? whole = stored?.Entries;
        if (stored?.Base is { } keyframeRef)
        {
            var keyframe = await ReadAsync(sessionId, keyframeRef.Seq, ct);
            whole = keyframe is { Base: null } && keyframe.Digest == keyframeRef.Digest
                ? ManifestDelta.Apply(keyframe.Entries, stored.Entries, stored.Removed ?? [])
                : null;
        }

        return whole is not null && ManifestDelta.IsSorted(whole) && ManifestDigest.Compute(whole) == digest ? whole : null;
    }

    /// <summary>
    /// Once the rows before <paramref name="oldestKept"/> are gone: deletes their objects, but not the keyframe
    /// that the oldest kept snapshot is a change against. Also removes any such object an earlier prune left.
    /// </summary>
    public async Task PruneAsync(Guid sessionId, int oldestKept, CancellationToken ct)
    {
        // An unreadable oldest snapshot keeps everything: a leak is better than deleting what it might need.
        if (await ReadAsync(sessionId, oldestKept, ct) is not { } oldest)
        {
            return;
        }

        var keyframe = oldest.Base?.Seq ?? oldestKept;
        var prefix = SnapshotKeys.ManifestsOf(sessionId);
        var stale = new List<string>();
        await foreach (var key in store.ListAsync(prefix, ct))
        {
            var name = key[prefix.Length..];
            if (name.EndsWith(".json", StringComparison.Ordinal)
                && int.TryParse(name[..^".json".Length], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
                && seq < oldestKept && seq != keyframe)
            {
                stale.Add(key);
            }
        }

        foreach (var key in stale)
        {
            await store.DeleteAsync(key, ct);
        }
    }
}
