using System.Globalization;
using Catty.Agent.Hosting;
using Catty.Agent.Snapshots;
using Catty.Agent.Terminal;
using Catty.Sdk.AgentControl;
using Catty.Sdk.Terminal;

namespace Catty.Agent.SyncBack;

/// <summary>
/// Sends one driver the workspace's file changes from the moment it opted in. A FileSystemWatcher
/// (inotify) only says "something changed"; once the workspace has been quiet for the interval (or the
/// batch has waited four intervals), an incremental scan — which reads only files whose status changed,
/// never follows a link and skips excluded folders — is compared with the previous one. So a watcher
/// overflow, a missed event or a renamed folder cost nothing in correctness: every batch is a full diff.
/// Messages go through the driver's background queue, which is bounded and alternates with terminal
/// frames. The <c>sync_back_ack</c> is queued once the first scan is done, so every change made after the
/// client sees it is sent.
/// </summary>
internal sealed class SyncBackSource : IAsyncDisposable
{
    private readonly string _workspace;
    private readonly OutboundQueue _queue;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly AgentLog _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly WorkspaceManifestBuilder _builder;
    private readonly FileSystemWatcher? _watcher;
    private readonly Task _loop;
    private readonly ControlMessage _ack;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _events;

    public SyncBackSource(string workspace, ControlMessage ack, OutboundQueue queue, AgentOptions options, TimeProvider time, AgentLog log)
    {
        _ack = ack;
        _workspace = Path.GetFullPath(workspace);
        _queue = queue;
        _options = options;
        _time = time;
        _log = log;
        _builder = new WorkspaceManifestBuilder(_workspace, time);
        try
        {
            _watcher = new FileSystemWatcher(_workspace)
            {
                IncludeSubdirectories = true,
                InternalBufferSize = 64 * 1024,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite
                    | NotifyFilters.Size | NotifyFilters.Attributes,
            };
            _watcher.Created += OnEvent;
            _watcher.Changed += OnEvent;
            _watcher.Deleted += OnEvent;
            _watcher.Renamed += OnRenamed;
            _watcher.Error += (_, e) =>
            {
                // Overflow or a lost watch: the next batch's full diff catches up.
                _log.Info("sync-back watcher: " + e.GetException().Message);
                MarkChanged();
            };
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            _log.Error("sync-back cannot watch the workspace: " + e.Message);
            _watcher?.Dispose();
            _watcher = null;
        }
        _log.Info("sync-back started");
        _loop = Task.Run(RunAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _watcher?.Dispose();
        await _loop.ConfigureAwait(false);
        _builder.Dispose();
        _log.Info("sync-back stopped");
        _stop.Dispose();
    }

    private void OnEvent(object sender, FileSystemEventArgs e)
    {
        if (Relevant(e.FullPath))
            MarkChanged();
    }

    private void OnRenamed(object sender, RenamedEventArgs e)
    {
        if (Relevant(e.FullPath) || Relevant(e.OldFullPath))
            MarkChanged();
    }

    private bool Relevant(string fullPath)
    {
        var relative = Path.GetRelativePath(_workspace, fullPath);
        return relative == "." || SyncBackScope.Includes(relative);
    }

    private void MarkChanged()
    {
        Interlocked.Increment(ref _events);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        try
        {
            var known = FileSetDiff.Files(_builder.Build(ct));
            _queue.EnqueueControl(_ack);
            while (true)
            {
                var changed = Volatile.Read(ref _changed).Task;
                if (Interlocked.Read(ref _events) == 0)
                    await changed.WaitAsync(ct).ConfigureAwait(false);
                await QuietAsync(ct).ConfigureAwait(false);
                Interlocked.Exchange(ref _events, 0);
                var now = FileSetDiff.Files(_builder.Build(ct));
                foreach (var change in FileSetDiff.Between(known, now))
                {
                    if (!await SendAsync(change, now, ct).ConfigureAwait(false))
                        return;
                }
                known = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            // A bug here must not take the terminal down; the client just stops getting changes.
            _log.Error("sync-back failed: " + e);
            _queue.EnqueueControl(new ErrorMessage("sync-back stopped after an internal error"));
        }
    }

    /// <summary>Waits until no event arrived for one interval, or four intervals in all.</summary>
    private async Task QuietAsync(CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            var seen = Interlocked.Read(ref _events);
            await Task.Delay(_options.SyncBackInterval, _time, ct).ConfigureAwait(false);
            if (Interlocked.Read(ref _events) == seen || _time.GetElapsedTime(started) >= _options.SyncBackInterval * 4)
                return;
        }
    }

    /// <summary>Queues one change; returns false once the driver is closing. A file that cannot be sent is left out of <paramref name="now"/> so the next batch tries again.</summary>
    private async Task<bool> SendAsync(FileSetChange change, Dictionary<string, ManifestEntryDto> now, CancellationToken ct)
    {
        if (change.Written is not { } entry)
            return await _queue.EnqueueBackgroundAsync(FileChangeJson.Delete(change.Path), ct).ConfigureAwait(false);
        if (entry.Size > _options.SyncBackMaxFileBytes)
        {
            _queue.EnqueueControl(new ErrorMessage(string.Create(CultureInfo.InvariantCulture,
                $"sync-back skipped '{change.Path}': {entry.Size} bytes is over the {_options.SyncBackMaxFileBytes}-byte limit")));
            return true;
        }
        var content = ReadContent(entry);
        if (content is null)
        {
            now.Remove(change.Path);
            MarkChanged();
            return true;
        }
        return await _queue.EnqueueBackgroundAsync(FileChangeJson.Write(change.Path, content, entry.Mode), ct).ConfigureAwait(false);
    }

    /// <summary>The scanned content, or null when the file changed or vanished since the scan.</summary>
    private byte[]? ReadContent(ManifestEntryDto entry)
    {
        if (entry.Sha256 is null || !_builder.TryOpenContent(entry.Sha256, out var stream))
            return null;
        try
        {
            using (stream)
            {
                var content = new byte[entry.Size];
                stream.ReadExactly(content);
                // The verifying stream checks the hash when it reaches its end.
                if (stream.ReadByte() != -1)
                    return null;
                return content;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException)
        {
            return null;
        }
    }
}
