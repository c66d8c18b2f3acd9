using Catty.Agent.Workspace.Native;

namespace Catty.Agent.Workspace;

/// <summary>
/// Moves an extracted tree from its staging folder into the workspace by renames, keeping a journal so a
/// failure halfway (a full disk, a permission surprise) can be undone and the workspace left as it was.
/// </summary>
/// <remarks>
/// A subtree the workspace does not have yet moves with one rename; only folders present on both sides
/// are merged entry by entry. A file that replaces one already there is first renamed into the backup
/// folder, which lies in the same staging area and so on the same filesystem.
/// </remarks>
internal sealed class StagingMover
{
    private readonly string _backupDir;
    private readonly List<(string Target, string? Backup)> _journal = [];
    private int _backups;

    public StagingMover(string backupDir) => _backupDir = backupDir;

    /// <summary>Moves everything under <paramref name="stagedDir"/> into <paramref name="workspaceDir"/>.</summary>
    public void MoveInto(string stagedDir, string workspaceDir)
    {
        if (!Directory.Exists(workspaceDir))
        {
            Directory.CreateDirectory(workspaceDir);
            _journal.Add((workspaceDir, null));
        }

        Merge(stagedDir, workspaceDir);
    }

    /// <summary>Undoes every move made so far, newest first.</summary>
    public void Rollback()
    {
        for (var i = _journal.Count - 1; i >= 0; i--)
        {
            var (target, backup) = _journal[i];
            if (backup is not null)
            {
                File.Move(backup, target, overwrite: true);
            }
            else if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
            else
            {
                File.Delete(target);
            }
        }

        _journal.Clear();
    }

    private void Merge(string source, string target)
    {
        foreach (var child in Directory.EnumerateFileSystemEntries(source))
        {
            var name = Path.GetFileName(child);
            var destination = Path.Join(target, name);
            var sourceIsDirectory = Directory.Exists(child);
            if (!FsNative.TryStatNoFollow(FsNative.AtFdCwd, destination, out var existing, out _))
            {
                if (sourceIsDirectory)
                {
                    Directory.Move(child, destination);
                }
                else
                {
                    File.Move(child, destination);
                }

                _journal.Add((destination, null));
                continue;
            }

            switch (existing.Kind, sourceIsDirectory)
            {
                case (FileKind.Directory, true):
                    Merge(child, destination);
                    break;
                case (FileKind.File, false):
                    var backup = Path.Join(_backupDir, (_backups++).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    File.Move(destination, backup);
                    _journal.Add((destination, backup));
                    File.Move(child, destination);
                    break;
                default:
                    // UploadTargetCheck refuses these before extraction; reaching here means the workspace
                    // changed underneath the upload.
                    throw new IOException($"'{destination}' changed kind while the upload was being moved in.");
            }
        }
    }
}
