using System.Security.Cryptography;
using Catty.Cli.Native;
using Catty.Cli.SyncBack;
using Catty.Cli.Workspace;

namespace Catty.Cli.Downloads;

/// <summary>What <c>catty sync</c> would do to the current folder.</summary>
/// <param name="Create">Snapshot files absent here.</param>
/// <param name="Change">Files here whose content or executable bit differs from the snapshot's.</param>
/// <param name="Delete">Files here, within what an upload would send, that the snapshot no longer has.</param>
/// <param name="Refused">Snapshot entries that cannot be applied, and why.</param>
/// <param name="LeftOut">Snapshot links, which sync does not make.</param>
internal sealed record SyncPlan(
    IReadOnlyList<string> Create,
    IReadOnlyList<string> Change,
    IReadOnlyList<string> Delete,
    IReadOnlyList<ChangeResult> Refused,
    IReadOnlyList<string> LeftOut)
{
    /// <summary>Folders the snapshot leaves out (docs/design/0700): their local copies are never compared or deleted.</summary>
    public static readonly IReadOnlySet<string> SnapshotExclusions = new HashSet<string>(StringComparer.Ordinal)
    {
        ".git", "node_modules", "__pycache__", ".venv", "venv", ".cache", ".npm", ".yarn",
    };

    public bool IsEmpty => Create.Count == 0 && Change.Count == 0 && Delete.Count == 0;

    /// <summary>Compares the snapshot with <paramref name="folder"/>; reads the archive once.</summary>
    public static SyncPlan Make(Stream tarGz, string folder)
    {
        var create = new List<string>();
        var change = new List<string>();
        var refused = new List<ChangeResult>();
        var leftOut = new List<string>();
        var remote = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in SnapshotEntries.Read(tarGz))
        {
            if (entry.Kind is SnapshotEntryKind.Folder)
            {
                continue;
            }

            if (entry.Kind is SnapshotEntryKind.Link)
            {
                leftOut.Add(entry.Path);
                continue;
            }

            var refusal = entry.Kind is SnapshotEntryKind.Other ? "it is not a file, folder or symbolic link"
                : RelativePath.Split(entry.Path, out var why) is null ? why
                : ConfinedFolder.Refusal(entry.Mode);
            if (refusal is not null)
            {
                refused.Add(ChangeResult.Refused(entry.Path, refusal));
                continue;
            }

            remote.Add(entry.Path);
            var local = Path.Combine(folder, entry.Path);
            var (kind, mode) = FileStatus.Of(local);
            if (kind == FileKind.Missing)
            {
                create.Add(entry.Path);
            }
            else if (kind != FileKind.Regular)
            {
                refused.Add(ChangeResult.Refused(entry.Path, "the local path is not a regular file"));
            }
            else if (Differs(local, mode, entry))
            {
                change.Add(entry.Path);
            }
        }

        var delete = WorkspaceScanner.Scan(folder, new WorkspaceFilter(includeGit: false)).Entries
            .Where(e => !e.IsDirectory && !remote.Contains(e.Path) && !e.Path.Split('/').Any(SnapshotExclusions.Contains))
            .Select(e => e.Path)
            .ToList();
        return new SyncPlan(create, change, delete, refused, leftOut);
    }

    private static bool Differs(string local, int localMode, SnapshotEntry entry)
    {
        if (((localMode & 0x40) != 0) != ((entry.Mode & 0x49) != 0) || new FileInfo(local).Length != entry.Size)
        {
            return true;
        }

        using var file = File.OpenRead(local);
        return !SHA256.HashData(file).AsSpan().SequenceEqual(SHA256.HashData(entry.Content ?? Stream.Null));
    }
}
