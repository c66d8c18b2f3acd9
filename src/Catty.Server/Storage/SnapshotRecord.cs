namespace Catty.Server.Storage;

/// <summary>
/// One stored snapshot of a session's workspace. Its manifest is <c>snapshots/&lt;session-id&gt;/&lt;seq&gt;.json</c>
/// in the blob store; the row is written only after the manifest, so a row always names a whole snapshot.
/// </summary>
internal sealed class SnapshotRecord
{
    public Guid Id { get; set; }

    public Guid SessionId { get; set; }

    /// <summary>1, 2, 3… per session.</summary>
    public int Seq { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int FileCount { get; set; }

    /// <summary>Bytes of file content the snapshot holds (uncompressed).</summary>
    public long TotalBytes { get; set; }

    /// <summary>The workspace manifest's digest: equal digests mean an unchanged workspace.</summary>
    public required string Digest { get; set; }
}

/// <summary>A file content already in the blob store (<c>blobs/sha256/&lt;aa&gt;/&lt;sha&gt;.gz</c>); blobs are immutable.</summary>
internal sealed class StoredBlob
{
    public required string Sha256 { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}
