using System.IO.Compression;
using Catty.Agent.Workspace.Native;

namespace Catty.Agent.Workspace;

/// <summary>One regular file to extract.</summary>
/// <param name="Permissions">rwx bits to set once written.</param>
internal sealed record PlannedFile(ZipArchiveEntry Source, string Path, int Permissions);

/// <summary>One folder to create.</summary>
/// <param name="EntryName">The archive entry that names or implies it, for messages.</param>
internal sealed record PlannedDirectory(int Permissions, string EntryName);

/// <summary>A path the upload creates or replaces.</summary>
internal readonly record struct PlannedPath(string Path, bool IsDirectory, string EntryName);

/// <summary>
/// What an archive will put in the workspace, checked from the central directory alone before a byte is
/// inflated: every name is a plain relative path, every entry a file or a folder, no path is claimed twice.
/// </summary>
internal sealed class UploadPlan
{
    private const int DefaultFileMode = 0x1A4; // 0644
    private const int DefaultDirectoryMode = 0x1ED; // 0755
    private const int OwnerRead = 0x100; // 0400: the agent must be able to snapshot what it extracted
    private const int OwnerAll = 0x1C0; // 0700: and to walk, fill and clean the folders
    private const int DosDirectoryAttribute = 0x10;

    private UploadPlan(IReadOnlyList<PlannedFile> files, SortedDictionary<string, PlannedDirectory> directories, long declaredBytes)
    {
        Files = files;
        Directories = directories;
        DeclaredBytes = declaredBytes;
    }

    /// <summary>Files in archive order.</summary>
    public IReadOnlyList<PlannedFile> Files { get; }

    /// <summary>Every folder, implied parents included, with its rwx bits; ordinal order puts parents first.</summary>
    public SortedDictionary<string, PlannedDirectory> Directories { get; }

    /// <summary>Sum of the sizes the archive declares; a hint only, the extractor counts real bytes.</summary>
    public long DeclaredBytes { get; }

    /// <summary>Every path the upload will create or replace, parents before children.</summary>
    public IEnumerable<PlannedPath> AllPaths() =>
        Directories.Select(d => new PlannedPath(d.Key, true, d.Value.EntryName))
            .Concat(Files.Select(f => new PlannedPath(f.Path, false, f.Source.FullName)))
            .OrderBy(p => p.Path, StringComparer.Ordinal);

    /// <summary>Builds the plan, or the refusal that names the first offending entry.</summary>
    public static UploadResult.Refused? TryCreate(ZipArchive archive, UploadLimits limits, out UploadPlan? plan)
    {
        plan = null;
        if (archive.Entries.Count > limits.MaxEntries)
        {
            return new UploadResult.Refused(
                413, UploadErrors.TooManyEntries, $"The archive holds {archive.Entries.Count} entries; the limit is {limits.MaxEntries}.");
        }

        var kinds = new Dictionary<string, bool>(StringComparer.Ordinal); // path → is directory
        var explicitPaths = new HashSet<string>(StringComparer.Ordinal);
        var directories = new SortedDictionary<string, PlannedDirectory>(StringComparer.Ordinal);
        var files = new List<PlannedFile>();
        long declared = 0;

        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            var reason = EntryName.Normalize(name, out var path, out var endsWithSlash);
            if (reason is not null)
            {
                return Refuse(400, UploadErrors.UnsafePath, name, reason);
            }

            if (entry.IsEncrypted)
            {
                return Refuse(400, UploadErrors.UnsupportedEntry, name, "is encrypted");
            }

            var unixMode = (int)((uint)entry.ExternalAttributes >> 16);
            var isDirectory = endsWithSlash;
            switch (FileStatus.KindOf(unixMode))
            {
                case FileKind.Symlink:
                    return Refuse(400, UploadErrors.UnsupportedEntry, name, "is a symbolic link; links are not accepted");
                case FileKind.Directory:
                    isDirectory = true;
                    break;
                case FileKind.Other when (unixMode & FileStatus.TypeMask) != 0:
                    return Refuse(400, UploadErrors.UnsupportedEntry, name, "is a device, FIFO or socket");
                case FileKind.Other when unixMode == 0:
                    isDirectory |= (entry.ExternalAttributes & DosDirectoryAttribute) != 0 && entry.Length == 0;
                    break;
                default:
                    break;
            }

            if (!explicitPaths.Add(path))
            {
                return Refuse(400, UploadErrors.DuplicateEntry, name, "appears more than once");
            }

            var conflict = AddParents(path, name, kinds, directories);
            if (conflict is not null)
            {
                return Refuse(400, UploadErrors.DuplicateEntry, name, $"lies under '{conflict}', which the archive also holds as a file");
            }

            if (kinds.TryGetValue(path, out var existingIsDirectory) && existingIsDirectory != isDirectory)
            {
                return Refuse(400, UploadErrors.DuplicateEntry, name, "is both a file and a folder in the archive");
            }

            kinds[path] = isDirectory;
            var permissions = unixMode == 0
                ? (isDirectory ? DefaultDirectoryMode : DefaultFileMode)
                : unixMode & FileStatus.PermissionMask;
            if (isDirectory)
            {
                directories[path] = new PlannedDirectory(permissions | OwnerAll, name);
                continue;
            }

            declared += entry.Length;
            if (declared > limits.MaxExpandedBytes)
            {
                return Refuse(
                    413, UploadErrors.ExpandedTooLarge, name, $"takes the declared expanded size past the limit of {limits.MaxExpandedBytes} bytes");
            }

            files.Add(new PlannedFile(entry, path, permissions | OwnerRead));
        }

        plan = new UploadPlan(files, directories, declared);
        return null;
    }

    /// <summary>Records the implied parent folders of <paramref name="path"/>; returns a parent that is a file.</summary>
    private static string? AddParents(string path, string entryName, Dictionary<string, bool> kinds, SortedDictionary<string, PlannedDirectory> directories)
    {
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            var parent = path[..slash];
            if (kinds.TryGetValue(parent, out var isDirectory))
            {
                if (!isDirectory)
                {
                    return parent;
                }

                continue;
            }

            kinds[parent] = true;
            directories[parent] = new PlannedDirectory(DefaultDirectoryMode, entryName);
        }

        return null;
    }

    private static UploadResult.Refused Refuse(int status, string error, string entry, string reason) =>
        new(status, error, $"Entry '{entry}' {reason}.");
}
