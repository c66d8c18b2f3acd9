namespace Catty.Server.Blobs;

/// <summary>
/// Where workspace snapshots live: content-addressed file blobs, snapshot manifests and materialized
/// downloads. The control plane is the only writer. Keys are relative, '/'-separated paths such as
/// <c>blobs/sha256/ab/abcdef...</c>; a malformed key is a bug and throws <see cref="ArgumentException"/>
/// (see <see cref="BlobKey"/>).
/// </summary>
internal interface IBlobStore
{
    /// <summary>
    /// Stores <paramref name="content"/> under <paramref name="key"/>, replacing any previous object.
    /// Atomic: readers see the old object or the whole new one, never a part; a failed or cancelled
    /// write leaves the previous object as it was.
    /// </summary>
    Task PutAsync(string key, Stream content, CancellationToken ct);

    /// <summary>
    /// Stores like <see cref="PutAsync"/> (readers see the old object or the whole new one), but the object
    /// may stay in the operating system's cache until <see cref="FlushAsync"/>: a power loss before then can
    /// lose it or leave it cut short. For many objects that nothing names until one flush has made them all
    /// durable, such as a snapshot's new contents: one flush instead of two per object.
    /// </summary>
    Task PutUnflushedAsync(string key, Stream content, CancellationToken ct);

    /// <summary>Makes every object put so far durable.</summary>
    Task FlushAsync(CancellationToken ct);

    /// <summary>Opens the object for reading, or returns null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);

    /// <summary>Whether an object is stored under <paramref name="key"/>.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken ct);

    /// <summary>The object's size in bytes, or null when there is none.</summary>
    Task<long?> GetSizeAsync(string key, CancellationToken ct);

    /// <summary>Removes the object; removing a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>
    /// Every key that starts with <paramref name="prefix"/> (a plain string prefix, as in S3; empty
    /// lists everything), in no particular order.
    /// </summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken ct);

    /// <summary>
    /// A URL that lets anyone holding it download the object for <paramref name="lifetime"/>, saved as
    /// <paramref name="downloadFileName"/>; null when the store cannot hand out such URLs (the folder
    /// store), in which case the server serves the object itself behind a <see cref="BlobDownloadSigner"/>
    /// link. The URL is made without checking that the object exists.
    /// </summary>
    Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan lifetime, string downloadFileName, CancellationToken ct);
}
