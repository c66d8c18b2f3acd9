namespace Catty.Sdk.Api;

/// <summary>Answer of <c>GET /v1/sessions/{id-or-label}/download</c>: a short-lived link to a snapshot as <c>.tar.gz</c>.</summary>
/// <param name="DownloadUrl">Absolute URL; it needs no other credentials and expires.</param>
/// <param name="SizeBytes">Size of the <c>.tar.gz</c>.</param>
public sealed record DownloadResponse(string DownloadUrl, long SizeBytes);

/// <summary>One stored snapshot of a session's workspace (<c>GET /v1/sessions/{id-or-label}/snapshots</c>).</summary>
/// <param name="Id">Pass as <c>?snapshot=</c> to download this one.</param>
/// <param name="Seq">1, 2, 3… per session.</param>
/// <param name="CreatedAt">When it was taken.</param>
/// <param name="FileCount">Files it holds.</param>
/// <param name="SizeBytes">Bytes of file content (uncompressed).</param>
public sealed record SnapshotInfo(Guid Id, int Seq, DateTimeOffset CreatedAt, int FileCount, long SizeBytes);

/// <summary>Answer of <c>POST /v1/sessions/{id-or-label}/snapshots</c> (take one now).</summary>
/// <param name="Outcome">"taken", "unchanged" or "incomplete" (some content changed while it was read; the previous snapshot stays newest).</param>
/// <param name="Snapshot">The newest snapshot after the attempt; null when there is none yet.</param>
public sealed record TakeSnapshotResponse(string Outcome, SnapshotInfo? Snapshot = null);
