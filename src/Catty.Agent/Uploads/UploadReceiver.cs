using System.Globalization;
using Catty.Agent.Hosting;
using Catty.Sdk.Terminal;

namespace Catty.Agent.Uploads;

/// <summary>
/// One driver's <c>file_upload</c> and <c>file_upload_chunk</c> messages, written into
/// <c>.catty-uploads/</c>. Success is silent (the protocol has no acknowledgement); every failure returns
/// an error text for an <c>error</c> message, and a failed chunked upload is discarded whole. Chunks must
/// arrive in order; an upload idle for <see cref="AgentOptions.UploadIdleTimeout"/>, and every upload
/// still open when the driver leaves, is deleted. <c>remote_path</c> is not used: uploads only ever
/// land in the upload folder, under their sanitised name.
/// </summary>
internal sealed class UploadReceiver : IDisposable
{
    public const int MaxTotalChunks = 100_000;
    public const int MaxOpenUploads = 16;

    private readonly object _gate = new();
    private readonly UploadFolder _folder;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly AgentLog _log;
    private readonly Dictionary<string, ChunkedUpload> _open = new(StringComparer.Ordinal);
    private ITimer? _sweeper;
    private bool _disposed;

    public UploadReceiver(string workspace, AgentOptions options, TimeProvider time, AgentLog log)
    {
        _folder = new UploadFolder(workspace);
        _options = options;
        _time = time;
        _log = log;
    }

    /// <summary>Uploads in progress.</summary>
    public int OpenCount
    {
        get
        {
            lock (_gate)
                return _open.Count;
        }
    }

    /// <summary>Stores a whole file; returns null on success or why it was refused.</summary>
    public string? Receive(FileUploadMessage message)
    {
        var name = UploadFileName.Sanitize(message.Filename);
        if (Decode(message.Content) is not { } bytes)
            return $"upload '{name}': content is not valid base64";
        if (bytes.Length > _options.MaxUploadFileBytes)
            return TooLarge(name, bytes.Length);
        using var folder = _folder.Open(out var error);
        if (folder is null)
            return error;
        string temp;
        using (var file = UploadFolder.CreateTemp(folder, out temp, out error))
        {
            if (file is null)
                return error;
            try
            {
                RandomAccess.Write(file, bytes, 0);
            }
            catch (IOException e)
            {
                UploadFolder.Discard(folder, temp);
                return $"upload '{name}' failed: {e.Message}";
            }
        }
        return Commit(folder, temp, name);
    }

    /// <summary>Takes one chunk; returns null on success or why the upload was refused (and discarded).</summary>
    public string? Receive(FileUploadChunkMessage message)
    {
        lock (_gate)
        {
            if (_disposed)
                return "the connection is closing";
            var name = UploadFileName.Sanitize(message.Filename);
            var id = message.UploadId;
            _open.TryGetValue(id, out var upload);
            if (message.TotalChunks < 1 || message.TotalChunks > MaxTotalChunks)
                return Fail(id, upload, $"upload '{name}': total_chunks must be between 1 and {MaxTotalChunks}");
            if (upload is not null && upload.TotalChunks != message.TotalChunks)
                return Fail(id, upload, $"upload '{upload.Name}': total_chunks changed from {upload.TotalChunks} to {message.TotalChunks}; upload discarded");
            if (message.ChunkIndex < 0 || message.ChunkIndex >= message.TotalChunks)
                return Fail(id, upload, $"upload '{upload?.Name ?? name}': chunk_index {message.ChunkIndex} is outside 0..{message.TotalChunks - 1}; upload discarded");
            var expected = upload?.NextIndex ?? 0;
            if (message.ChunkIndex != expected)
                return Fail(id, upload, $"upload '{upload?.Name ?? name}': expected chunk {expected}, got {message.ChunkIndex}; upload discarded");
            if (Decode(message.Content) is not { } bytes)
                return Fail(id, upload, $"upload '{upload?.Name ?? name}': chunk {message.ChunkIndex} is not valid base64; upload discarded");
            if ((upload?.Bytes ?? 0) + bytes.Length > _options.MaxUploadFileBytes)
                return Fail(id, upload, TooLarge(upload?.Name ?? name, (upload?.Bytes ?? 0) + bytes.Length) + "; upload discarded");
            if (upload is null)
            {
                if (_open.Count >= MaxOpenUploads)
                    return $"upload '{name}': too many uploads in progress (at most {MaxOpenUploads})";
                var folder = _folder.Open(out var error);
                if (folder is null)
                    return error;
                var file = UploadFolder.CreateTemp(folder, out var temp, out error);
                if (file is null)
                {
                    folder.Dispose();
                    return error;
                }
                upload = new ChunkedUpload(name, message.TotalChunks, folder, file, temp, _time.GetTimestamp());
                _open[id] = upload;
                StartSweeper();
            }
            try
            {
                RandomAccess.Write(upload.File, bytes, upload.Bytes);
            }
            catch (IOException e)
            {
                return Fail(id, upload, $"upload '{upload.Name}' failed: {e.Message}");
            }
            upload.Bytes += bytes.Length;
            upload.NextIndex++;
            upload.LastActivity = _time.GetTimestamp();
            if (upload.NextIndex < upload.TotalChunks)
                return null;
            _open.Remove(id);
            var completeError = upload.Complete();
            if (completeError is null)
                _log.Info($"upload stored in {UploadFolder.Name}");
            return completeError;
        }
    }

    /// <summary>Deletes uploads that received nothing for the idle timeout.</summary>
    public void SweepIdle()
    {
        lock (_gate)
        {
            foreach (var (id, upload) in _open.Where(u => _time.GetElapsedTime(u.Value.LastActivity) >= _options.UploadIdleTimeout).ToList())
            {
                _open.Remove(id);
                upload.Discard();
                _log.Info($"upload '{upload.Name}' discarded: idle for {_options.UploadIdleTimeout.TotalSeconds:0.#} s");
            }
        }
    }

    /// <summary>Deletes every unfinished upload (the driver is gone).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _sweeper?.Dispose();
            foreach (var upload in _open.Values)
                upload.Discard();
            if (_open.Count > 0)
                _log.Info($"{_open.Count} unfinished upload(s) discarded at disconnect");
            _open.Clear();
        }
    }

    private void StartSweeper()
    {
        if (_sweeper is not null)
            return;
        var period = _options.UploadIdleTimeout / 2;
        _sweeper = _time.CreateTimer(_ => SweepIdle(), null, period, period);
    }

    private string Fail(string id, ChunkedUpload? upload, string error)
    {
        if (upload is not null)
        {
            _open.Remove(id);
            upload.Discard();
        }
        return error;
    }

    private string? Commit(Catty.Agent.Workspace.Native.DirectoryHandle folder, string temp, string name)
    {
        var stored = UploadFolder.Commit(folder, temp, name, out var error);
        if (stored is not null)
            _log.Info($"upload stored as {UploadFolder.Name}/{stored}");
        return error;
    }

    private string TooLarge(string name, long bytes) => string.Create(CultureInfo.InvariantCulture,
        $"upload '{name}' is too large: {bytes} bytes is over the {_options.MaxUploadFileBytes}-byte limit");

    private static byte[]? Decode(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
