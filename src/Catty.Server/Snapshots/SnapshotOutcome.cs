namespace Catty.Server.Snapshots;

/// <summary>What one snapshot attempt did.</summary>
internal enum SnapshotOutcome
{
    /// <summary>A new snapshot was stored.</summary>
    Taken,

    /// <summary>The workspace is as the last snapshot recorded it; nothing was stored.</summary>
    Unchanged,

    /// <summary>The session has no agent to ask (not running, or it did not answer).</summary>
    Unavailable,

    /// <summary>Some content could not be fetched whole; the previous snapshot stays the newest and the next attempt retries.</summary>
    Incomplete,

    /// <summary>The new snapshot would take its owner past the storage quota; nothing was stored and the previous one stays.</summary>
    OverQuota,
}
