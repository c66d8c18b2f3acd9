using System.Diagnostics.CodeAnalysis;
using Catty.Agent.Workspace;
using Catty.Agent.Workspace.Native;
using Catty.Sdk.AgentControl;
using Microsoft.Win32.SafeHandles;

namespace Catty.Agent.Snapshots;

/// <summary>
/// Lists a workspace for a snapshot — every file with its SHA-256, every folder and link — and serves a
/// file's content by hash. Scans are incremental: a file whose status has not changed since the last scan
/// is not read again, so a scan of an unchanged workspace costs one directory walk with stats.
/// </summary>
/// <remarks>
/// The walk never follows a link: every step opens relative to its parent directory with O_NOFOLLOW, so a
/// program in the workspace cannot swap a folder for a link mid-scan and make the agent read or serve a
/// file from outside. Builds are serialised; <see cref="TryOpenContent"/> reads the last published scan
/// and may run concurrently with a build.
/// </remarks>
internal sealed class WorkspaceManifestBuilder : IDisposable
{
    // A file touched this close to the start of a scan may change again within the same timestamp tick
    // without its status changing; it is hashed again on the next scan rather than trusted.
    private static readonly long s_racyWindowNs = TimeSpan.FromSeconds(1).Ticks * 100;
    private const int MaxDepth = 512;

    private readonly string _workspaceDir;
    private readonly TimeProvider _time;
    private readonly Func<string, bool> _excluded;
    private readonly FileHasher _hasher = new();
    private readonly Lock _buildGate = new();
    private ContentIndex _index = ContentIndex.Empty;

    /// <param name="workspaceDir">The workspace root; it may itself be reached through a link.</param>
    /// <param name="time">Clock used to tell recently touched files; the system clock by default.</param>
    /// <param name="keepGit">Snapshots keep <c>.git</c>; sync-back, which writes on the client's machine, does not.</param>
    public WorkspaceManifestBuilder(string workspaceDir, TimeProvider? time = null, bool keepGit = false)
    {
        _workspaceDir = Path.GetFullPath(workspaceDir);
        _time = time ?? TimeProvider.System;
        _excluded = keepGit ? WorkspaceExclusions.IsExcludedFromSnapshot : WorkspaceExclusions.IsExcludedName;
    }


    /// <summary>Files read for hashing since construction; a scan of an unchanged workspace adds none.</summary>
    public long FilesHashed => _hasher.FilesHashed;

    /// <summary>Bytes read for hashing since construction.</summary>
    public long BytesHashed => _hasher.BytesHashed;

    /// <summary>
    /// Scans the workspace. Files that vanish, become unreadable or keep changing during the scan are left
    /// out (the next scan picks them up); names in <see cref="WorkspaceExclusions"/> are skipped at any
    /// depth; devices, FIFOs and sockets are skipped. A missing workspace yields an empty manifest.
    /// </summary>
    public WorkspaceManifest Build(CancellationToken ct)
    {
        lock (_buildGate)
        {
            var scan = new Scan(_index, _hasher, _excluded, ScanStartNs() - s_racyWindowNs, ct);
            using (var root = DirectoryHandle.OpenAt(FsNative.AtFdCwd, _workspaceDir, FsNative.OpenRootFlags))
            {
                if (root is not null)
                {
                    scan.Walk(root);
                }
            }

            scan.Entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            Volatile.Write(ref _index, new ContentIndex(scan.Files));
            return new WorkspaceManifest(scan.Entries, ManifestDigest.Compute(scan.Entries));
        }
    }

    /// <summary>
    /// Opens a file that the last scan found with hash <paramref name="sha256"/> and whose status has not
    /// changed since. The stream yields exactly the scanned size and fails at its end if the bytes no
    /// longer match the hash. The size is the manifest entry's.
    /// </summary>
    public bool TryOpenContent(string sha256, [NotNullWhen(true)] out Stream? content)
    {
        content = null;
        if (TryOpenUnchanged(sha256, out var size) is not { } handle)
        {
            return false;
        }

        content = new VerifyingContentStream(handle, size, sha256);
        return true;
    }

    /// <summary>
    /// Like <see cref="TryOpenContent"/>, for a reader that checks the hash itself: the open file, or null
    /// when no unchanged file holds that content. <paramref name="size"/> is the scanned size.
    /// </summary>
    public SafeFileHandle? TryOpenUnchanged(string sha256, out long size)
    {
        size = 0;
        var index = Volatile.Read(ref _index);
        if (!index.PathsBySha.TryGetValue(sha256, out var paths))
        {
            return null;
        }

        foreach (var path in paths)
        {
            var known = index.Files[path];
            var handle = OpenNoFollow(path);
            if (handle is null)
            {
                continue;
            }

            if (FsNative.TryStatFd((int)handle.DangerousGetHandle(), out var now) && now.Kind == FileKind.File && now.SameContentAs(known.Status))
            {
                size = known.Status.Size;
                return handle;
            }

            handle.Dispose();
        }

        return null;
    }

    public void Dispose() => _hasher.Dispose();

    private long ScanStartNs() => (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;

    private SafeFileHandle? OpenNoFollow(string relativePath)
    {
        var parts = relativePath.Split('/');
        var dir = DirectoryHandle.OpenAt(FsNative.AtFdCwd, _workspaceDir, FsNative.OpenRootFlags);
        for (var i = 0; dir is not null && i < parts.Length - 1; i++)
        {
            var next = DirectoryHandle.OpenAt(dir.Fd, parts[i], FsNative.OpenDirectoryFlags);
            dir.Dispose();
            dir = next;
        }

        if (dir is null)
        {
            return null;
        }

        using (dir)
        {
            var fd = FsNative.OpenAt(dir.Fd, parts[^1], FsNative.OpenFileFlags, out _);
            return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
        }
    }

    /// <summary>One scan's state: the walk, the entries it found and the cache it builds for the next scan.</summary>
    private sealed class Scan(ContentIndex previous, FileHasher hasher, Func<string, bool> excluded, long racyAfterNs, CancellationToken ct)
    {
        public List<ManifestEntryDto> Entries { get; } = [];

        public Dictionary<string, CachedFile> Files { get; } = new(StringComparer.Ordinal);

        public void Walk(DirectoryHandle root)
        {
            // Depth-first with one open descriptor per level, so children resolve against the very folder
            // that was listed, never against a path that might have been swapped meanwhile.
            var stack = new Stack<(DirectoryHandle Dir, string Prefix, Queue<string> Subdirs)>();
            try
            {
                stack.Push((root, string.Empty, List(root, string.Empty)));
                while (stack.Count > 0)
                {
                    var (dir, prefix, subdirs) = stack.Peek();
                    if (!subdirs.TryDequeue(out var name))
                    {
                        stack.Pop();
                        if (dir != root)
                        {
                            dir.Dispose();
                        }

                        continue;
                    }

                    var child = stack.Count < MaxDepth ? DirectoryHandle.OpenAt(dir.Fd, name, FsNative.OpenDirectoryFlags) : null;
                    if (child is not null)
                    {
                        var childPrefix = prefix + name + "/";
                        stack.Push((child, childPrefix, List(child, childPrefix)));
                    }
                }
            }
            finally
            {
                foreach (var (dir, _, _) in stack)
                {
                    if (dir != root)
                    {
                        dir.Dispose();
                    }
                }
            }
        }

        /// <summary>Records the entries of one folder and returns the subfolders to descend into.</summary>
        private Queue<string> List(DirectoryHandle dir, string prefix)
        {
            var subdirs = new Queue<string>();
            foreach (var name in dir.ReadNames())
            {
                ct.ThrowIfCancellationRequested();
                if (excluded(name) || !FsNative.TryStatNoFollow(dir.Fd, name, out var status, out _))
                {
                    continue;
                }

                var path = prefix + name;
                switch (status.Kind)
                {
                    case FileKind.Directory:
                        Entries.Add(new ManifestEntryDto(path, ManifestKinds.Directory, status.Permissions, 0, null, null));
                        subdirs.Enqueue(name);
                        break;
                    case FileKind.Symlink when FsNative.ReadLinkAt(dir.Fd, name) is { } target:
                        Entries.Add(new ManifestEntryDto(path, ManifestKinds.Symlink, status.Permissions, status.Size, null, target));
                        break;
                    case FileKind.File:
                        AddFile(dir, name, path, status);
                        break;
                    default:
                        break;
                }
            }

            return subdirs;
        }

        private void AddFile(DirectoryHandle dir, string name, string path, FileStatus listed)
        {
            if (previous.Files.TryGetValue(path, out var cached) && !cached.Racy && cached.Status.SameContentAs(listed))
            {
                Files[path] = cached;
                Entries.Add(new ManifestEntryDto(path, ManifestKinds.File, listed.Permissions, listed.Size, cached.Sha256, null));
                return;
            }

            if (hasher.TryHash(dir.Fd, name, out var hashed) is not { } sha256)
            {
                return;
            }

            var racy = Math.Max(hashed.MtimeNs, hashed.CtimeNs) >= racyAfterNs;
            Files[path] = new CachedFile(hashed, sha256, racy);
            Entries.Add(new ManifestEntryDto(path, ManifestKinds.File, hashed.Permissions, hashed.Size, sha256, null));
        }
    }
}
