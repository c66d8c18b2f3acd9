using System.Formats.Tar;
using System.IO.Compression;

namespace Catty.Cli.Downloads;

/// <summary>What a snapshot entry is, as catty handles it.</summary>
internal enum SnapshotEntryKind
{
    File,
    Folder,
    Link,
    Other,
}

/// <summary>One entry of a snapshot archive; <see cref="Content"/> is readable until the next entry is read.</summary>
internal sealed record SnapshotEntry(string Path, SnapshotEntryKind Kind, int Mode, long Size, string? LinkTarget, Stream? Content);

/// <summary>Reads a snapshot <c>.tar.gz</c> entry by entry. Names are returned as stored: whoever writes them checks them.</summary>
internal static class SnapshotEntries
{
    public static IEnumerable<SnapshotEntry> Read(Stream tarGz)
    {
        tarGz.Position = 0;
        using var gzip = new GZipStream(tarGz, CompressionMode.Decompress, leaveOpen: true);
        using var tar = new TarReader(gzip, leaveOpen: true);
        while (tar.GetNextEntry() is { } entry)
        {
            var kind = entry.EntryType switch
            {
                TarEntryType.RegularFile or TarEntryType.V7RegularFile => SnapshotEntryKind.File,
                TarEntryType.Directory => SnapshotEntryKind.Folder,
                TarEntryType.SymbolicLink => SnapshotEntryKind.Link,
                _ => SnapshotEntryKind.Other,
            };
            var path = kind == SnapshotEntryKind.Folder ? entry.Name.TrimEnd('/') : entry.Name;
            yield return new SnapshotEntry(path, kind, (int)entry.Mode, entry.Length, kind == SnapshotEntryKind.Link ? entry.LinkName : null, entry.DataStream);
        }
    }
}
