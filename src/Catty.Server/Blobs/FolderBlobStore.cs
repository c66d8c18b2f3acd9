using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Catty.Server.Blobs;

/// <summary>
/// The default blob store: one file per key under a root folder, each written with
/// <see cref="AtomicFileWriter"/>. Meant for one server process; a key and a longer key that uses it as a
/// folder ("a" and "a/b") cannot both exist, which Catty's key scheme never asks for.
/// </summary>
internal sealed class FolderBlobStore : IBlobStore
{
    // Up to this many unflushed files are flushed one by one, which waits only for them; past it, one
    // syncfs beats a journal commit per file even though it also waits for whatever else is on the disk.
    private const int FlushOneByOneUpTo = 32;

    private readonly string _root;
    private readonly ConcurrentQueue<string> _unflushed = new();
    private readonly Lock _flushGate = new();

    /// <summary>
    /// Opens the store at <paramref name="root"/>, creating the folder if needed and removing temporary
    /// files that a crash left behind, so it must be created before anything writes to the folder.
    /// </summary>
    public FolderBlobStore(string root, ILogger<FolderBlobStore> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
        AtomicFileWriter.CreateFolders(_root);
        var removed = AtomicFileWriter.DeleteTempFiles(_root);
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} temporary files left by interrupted writes under {Root}", removed, _root);
        }
    }

    /// <summary>The folder that holds the objects.</summary>
    public string Root => _root;

    /// <inheritdoc />
    public Task PutAsync(string key, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        return AtomicFileWriter.WriteAsync(PathOf(key), content, durable: true, ct);
    }

    /// <inheritdoc />
    public async Task PutUnflushedAsync(string key, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        await AtomicFileWriter.WriteAsync(path, content, durable: false, ct);
        _unflushed.Enqueue(path);
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken ct) => Task.Run(FlushUnflushed, ct);

    private void FlushUnflushed()
    {
        // One flush at a time: a caller whose files another flush took from the queue must not return
        // before that flush has finished with them.
        lock (_flushGate)
        {
            var paths = new List<string>();
            while (_unflushed.TryDequeue(out var path))
            {
                paths.Add(path);
            }

            Flush(paths);
        }
    }

    private void Flush(List<string> paths)
    {
        if (paths.Count > FlushOneByOneUpTo)
        {
            AtomicFileWriter.FlushFileSystem(_root);
            return;
        }

        foreach (var path in paths)
        {
            AtomicFileWriter.Flush(path);
        }

        foreach (var folder in paths.Select(Path.GetDirectoryName).Distinct(StringComparer.Ordinal))
        {
            AtomicFileWriter.Flush(folder!);
        }
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        ct.ThrowIfCancellationRequested();
        try
        {
            // Share.Delete: an overwrite or delete while someone downloads must not fail either side.
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string key, CancellationToken ct) => Task.FromResult(File.Exists(PathOf(key)));

    /// <inheritdoc />
    public Task<long?> GetSizeAsync(string key, CancellationToken ct)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? info.Length : (long?)null);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        BlobKey.ValidatePrefix(prefix);
        await Task.CompletedTask.ConfigureAwait(false);

        // Walk only the deepest folder that the prefix names in full.
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : Path.Combine(_root, prefix[..slash]);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(start, "*", options))
        {
            ct.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');

            // Temporary files and anything else that is not a key (stray files put there by hand) are skipped.
            if (key.StartsWith(prefix, StringComparison.Ordinal) && BlobKey.IsValid(key))
            {
                yield return key;
            }
        }
    }

    /// <summary>Always null: the server serves folder objects itself behind a <see cref="BlobDownloadSigner"/> link.</summary>
    public Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan lifetime, string downloadFileName, CancellationToken ct)
    {
        BlobKey.Validate(key);
        DownloadFileName.Validate(downloadFileName);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        return Task.FromResult<Uri?>(null);
    }

    private string PathOf(string key)
    {
        BlobKey.Validate(key);
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }
}
