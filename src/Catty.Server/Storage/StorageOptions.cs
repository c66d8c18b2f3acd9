namespace Catty.Server.Storage;

/// <summary>Blob reclamation and per-user storage quotas, bound from <c>Catty:Storage</c>.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Catty:Storage";

    /// <summary>
    /// Per user, in MB (10^6 bytes): the workspace content their sessions' newest snapshots hold, plus an
    /// upload on its way. Reaching it refuses new sessions, uploads and snapshots with 402
    /// <c>quota_exceeded</c>; what is stored stays. 0 = no quota. Default 10,000 (10 GB).
    /// </summary>
    public long QuotaMb { get; set; } = 10_000;

    /// <summary>How often unreferenced blobs are looked for and deleted. Default 1 hour.</summary>
    public TimeSpan ReclaimInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A content no snapshot names is deleted only when it was neither stored nor relied on by a snapshot
    /// for this long. Default 1 hour; it must exceed the longest snapshot when several servers share a store.
    /// </summary>
    public TimeSpan ReclaimGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The quota in bytes; null when there is none.</summary>
    public long? QuotaBytes => QuotaMb > 0 ? QuotaMb * 1_000_000 : null;
}
