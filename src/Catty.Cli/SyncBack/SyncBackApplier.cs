using Catty.Sdk.Terminal;

namespace Catty.Cli.SyncBack;

/// <summary>
/// Applies the session's <c>file_change</c> messages to the local folder through <see cref="ConfinedFolder"/>
/// and keeps count, so that every refused change is reported and none is silently dropped. A deletion
/// removes a local file only while it still holds what the upload or sync-back last put there
/// (<see cref="SyncRecord"/>); a file changed here since is kept and listed.
/// </summary>
internal sealed class SyncBackApplier(ConfinedFolder folder, SyncRecord? record = null)
{
    private static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(1);

    private readonly List<ChangeResult> _refused = [];
    private readonly List<ChangeResult> _kept = [];
    private readonly SyncRecord _record = record ?? SyncRecord.InMemory(folder.Root);
    private long _lastSave = Environment.TickCount64;
    private bool _dirty;

    public int Written { get; private set; }

    public int Deleted { get; private set; }

    public IReadOnlyList<ChangeResult> Refused => _refused;

    /// <summary>Deletions left undone because the local file changed since catty last wrote it.</summary>
    public IReadOnlyList<ChangeResult> Kept => _kept;

    public ConfinedFolder Folder => folder;

    /// <summary>
    /// The session's workspace folder as its <c>sync_back_ack</c> named it. Catty-protocol servers send
    /// paths under it (<c>/workspace/src/x.ts</c>); exactly this prefix is taken off, and what remains goes
    /// through every check a relative path does.
    /// </summary>
    public string? WorkspaceDir { get; set; }

    public ChangeResult Apply(FileChangeMessage change)
    {
        var path = SessionRelative(change.Path, WorkspaceDir);
        var result = change.Action switch
        {
            "write" => WriteOf(path, change),
            "delete" => DeleteOf(path),
            _ => ChangeResult.Refused(change.Path, $"the action '{change.Action}' is not write or delete"),
        };
        if (!result.Applied)
        {
            _refused.Add(result);
        }
        else if (result.KeptBecause is not null)
        {
            _kept.Add(result);
        }
        else if (change.Action == "write")
        {
            Written++;
        }
        else
        {
            Deleted++;
        }

        if (_dirty && Environment.TickCount64 - _lastSave >= SaveEvery.TotalMilliseconds)
        {
            Flush();
        }

        return result;
    }

    /// <summary>Saves what catty put where, for deletions in later connections.</summary>
    public void Flush()
    {
        if (_dirty)
        {
            _record.Save();
            _dirty = false;
        }

        _lastSave = Environment.TickCount64;
    }

    /// <summary>One line for the end of a connection: what sync-back did.</summary>
    public string Summary() =>
        $"Sync-back: {Written} file{(Written == 1 ? "" : "s")} written, {Deleted} deleted"
        + (_kept.Count == 0 ? "" : $", {_kept.Count} kept (changed here: {string.Join(", ", _kept.Take(5).Select(k => k.Path))}{(_kept.Count > 5 ? ", ..." : "")})")
        + (_refused.Count == 0 ? "." : $", {_refused.Count} refused (listed above).");

    /// <summary>
    /// <paramref name="path"/> with <paramref name="workspaceDir"/> and one '/' taken off its front when
    /// it starts with exactly that; otherwise unchanged (and an absolute path is then refused as one).
    /// A workspace folder of "/" or a relative one strips nothing.
    /// </summary>
    public static string SessionRelative(string path, string? workspaceDir)
    {
        var dir = workspaceDir?.TrimEnd('/');
        return dir is { Length: > 0 } && dir[0] == '/' && path.Length > dir.Length + 1
            && path.StartsWith(dir, StringComparison.Ordinal) && path[dir.Length] == '/'
            ? path[(dir.Length + 1)..]
            : path;
    }

    private ChangeResult WriteOf(string path, FileChangeMessage change)
    {
        byte[] content;
        try
        {
            content = Convert.FromBase64String(change.Content ?? "");
        }
        catch (FormatException)
        {
            return ChangeResult.Refused(change.Path, "its content is not valid base64");
        }

        var result = folder.Write(path, content, change.Mode);
        if (result.Applied)
        {
            _record.Wrote(path, SyncRecord.Hash(content));
            _dirty = true;
        }

        return result;
    }

    private ChangeResult DeleteOf(string path)
    {
        var current = folder.HashOf(path, out var refusal);
        if (current is null)
        {
            if (refusal.Length > 0)
            {
                return ChangeResult.Refused(path, refusal);
            }

            Forget(path);
            return ChangeResult.Ok(path);
        }

        var known = _record.HashOf(path);
        if (known is null)
        {
            return ChangeResult.Kept(path, "catty never wrote it, so it is not the session's to delete");
        }

        if (known != current)
        {
            return ChangeResult.Kept(path, "it was changed here since catty last wrote it");
        }

        var result = folder.Delete(path);
        if (result.Applied)
        {
            Forget(path);
        }

        return result;
    }

    private void Forget(string path)
    {
        if (_record.HashOf(path) is not null)
        {
            _record.Forget(path);
            _dirty = true;
        }
    }
}
