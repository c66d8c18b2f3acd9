using Catty.Cli.Native;

namespace Catty.Cli.Workspace;

/// <summary>One thing to upload: a regular file or a folder, '/'-separated path from the root.</summary>
internal sealed record WorkspaceEntry(string Path, string FullPath, bool IsDirectory, long Size, int Mode);

/// <summary>The upload's contents and what was left out because it cannot be uploaded (links, FIFOs, devices, unreadable).</summary>
internal sealed record WorkspaceListing(IReadOnlyList<WorkspaceEntry> Entries, IReadOnlyList<string> Unsupported)
{
    public long TotalBytes => Entries.Sum(e => e.Size);

    public int FileCount => Entries.Count(e => !e.IsDirectory);
}

/// <summary>
/// Walks a folder the way git does: top down, reading each folder's <c>.gitignore</c> before its entries,
/// never descending into an ignored folder (so nothing beneath it can be re-included), and never following
/// a symbolic link (a link to ~/.ssh must not upload ~/.ssh).
/// </summary>
internal static class WorkspaceScanner
{
    public static WorkspaceListing Scan(string root, WorkspaceFilter filter)
    {
        var entries = new List<WorkspaceEntry>();
        var unsupported = new List<string>();
        var ignoreFiles = new List<IgnoreFile>();
        if (WorkspaceFilter.Load(Path.Combine(root, ".git", "info"), "", "exclude") is { } exclude)
        {
            ignoreFiles.Add(exclude);
        }

        Walk(root, "", filter, ignoreFiles, entries, unsupported);
        return new WorkspaceListing(entries, unsupported);
    }

    private static void Walk(string folder, string relativeFolder, WorkspaceFilter filter, List<IgnoreFile> ignoreFiles,
        List<WorkspaceEntry> entries, List<string> unsupported)
    {
        var gitignore = WorkspaceFilter.Load(folder, relativeFolder);
        if (gitignore is not null)
        {
            ignoreFiles.Add(gitignore);
        }

        foreach (var name in Names(folder, relativeFolder, unsupported))
        {
            var full = Path.Combine(folder, name);
            var relative = relativeFolder.Length == 0 ? name : relativeFolder + "/" + name;
            var (kind, mode) = FileStatus.Of(full);
            if (name == ".git")
            {
                if (filter.IncludeGit)
                {
                    AddVerbatim(full, relative, kind, mode, entries, unsupported);
                }

                continue;
            }

            switch (kind)
            {
                case FileKind.Directory when !WorkspaceFilter.IsIgnored(relative, isDirectory: true, ignoreFiles):
                    entries.Add(new WorkspaceEntry(relative, full, IsDirectory: true, 0, mode & 0x1FF));
                    Walk(full, relative, filter, ignoreFiles, entries, unsupported);
                    break;
                case FileKind.Regular when !WorkspaceFilter.IsIgnored(relative, isDirectory: false, ignoreFiles):
                    entries.Add(new WorkspaceEntry(relative, full, IsDirectory: false, new FileInfo(full).Length, mode & 0x1FF));
                    break;
                case FileKind.Directory or FileKind.Regular or FileKind.Missing:
                    break;
                default:
                    // Links, FIFOs, sockets and devices: reported only when git would not have ignored them anyway.
                    if (!WorkspaceFilter.IsIgnored(relative, isDirectory: false, ignoreFiles))
                    {
                        unsupported.Add($"{relative} ({Describe(kind)})");
                    }

                    break;
            }
        }

        if (gitignore is not null)
        {
            ignoreFiles.RemoveAt(ignoreFiles.Count - 1);
        }
    }

    /// <summary>A <c>.git</c> folder (or file) as it is: ignore rules never apply inside it.</summary>
    private static void AddVerbatim(string full, string relative, FileKind kind, int mode, List<WorkspaceEntry> entries, List<string> unsupported)
    {
        switch (kind)
        {
            case FileKind.Regular:
                entries.Add(new WorkspaceEntry(relative, full, IsDirectory: false, new FileInfo(full).Length, mode & 0x1FF));
                return;
            case FileKind.Directory:
                entries.Add(new WorkspaceEntry(relative, full, IsDirectory: true, 0, mode & 0x1FF));
                foreach (var name in Names(full, relative, unsupported))
                {
                    var child = Path.Combine(full, name);
                    var (childKind, childMode) = FileStatus.Of(child);
                    AddVerbatim(child, relative + "/" + name, childKind, childMode, entries, unsupported);
                }

                return;
            case FileKind.Missing:
                return;
            default:
                unsupported.Add($"{relative} ({Describe(kind)})");
                return;
        }
    }

    private static IEnumerable<string> Names(string folder, string relativeFolder, List<string> unsupported)
    {
        try
        {
            // Ordinal order: the archive is the same whatever order the filesystem lists names in.
            return [.. Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            unsupported.Add($"{(relativeFolder.Length == 0 ? "." : relativeFolder)}/ (unreadable: {e.Message})");
            return [];
        }
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.SymbolicLink => "symbolic link",
        FileKind.Fifo => "FIFO",
        FileKind.Socket => "socket",
        _ => "device",
    };
}
