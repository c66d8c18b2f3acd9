using Catty.Cli.SyncBack;

namespace Catty.Cli.Downloads;

/// <summary>
/// Unpacks a snapshot into an empty folder through <see cref="ConfinedFolder"/>: every entry must land inside
/// it, nothing is written through a link, links may only point inside, and only files, folders and links
/// are made (never a device or FIFO, never a setuid bit). Refused entries are returned, not skipped silently.
/// </summary>
internal static class FolderExtraction
{
    public static (int Files, IReadOnlyList<ChangeResult> Refused) Extract(Stream tarGz, string folder)
    {
        var target = new ConfinedFolder(folder);
        var refused = new List<ChangeResult>();
        var files = 0;
        var links = new List<(string Path, string Target)>();
        foreach (var entry in SnapshotEntries.Read(tarGz))
        {
            var result = entry.Kind switch
            {
                SnapshotEntryKind.File => target.Write(entry.Path, entry.Content ?? Stream.Null, entry.Mode),
                SnapshotEntryKind.Folder => target.CreateFolder(entry.Path),
                SnapshotEntryKind.Link => Defer(links, entry),
                _ => ChangeResult.Refused(entry.Path, "it is not a file, folder or symbolic link"),
            };
            if (!result.Applied)
            {
                refused.Add(result);
            }
            else if (entry.Kind == SnapshotEntryKind.File)
            {
                files++;
            }
        }

        // Links last, so no file of the archive is ever written where a link of the archive already sits.
        foreach (var (path, linkTarget) in links)
        {
            if (target.CreateLink(path, linkTarget) is { Applied: false } result)
            {
                refused.Add(result);
            }
        }

        return (files, refused);
    }

    private static ChangeResult Defer(List<(string, string)> links, SnapshotEntry entry)
    {
        links.Add((entry.Path, entry.LinkTarget ?? ""));
        return ChangeResult.Ok(entry.Path);
    }
}
