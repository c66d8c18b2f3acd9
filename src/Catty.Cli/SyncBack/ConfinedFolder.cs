using Catty.Cli.Native;

namespace Catty.Cli.SyncBack;

/// <summary>
/// A local folder that files from a session are written into, and nothing outside it. A path is checked
/// as text (<see cref="RelativePath"/>), then resolved component by component with lstat from the folder's
/// real path: every existing parent must be a real folder (a symbolic link is never followed, whatever it
/// points to), and the target must be absent or a regular file (never a link, folder, FIFO or device).
/// Files are written to a temporary file beside the target and renamed over it, so a link or a
/// half-written file is never opened for writing. Modes: the folder's default (0666 less the umask),
/// plus execute wherever read is allowed when, and only when, the session's file was executable;
/// setuid, setgid, sticky and non-regular modes are refused.
/// </summary>
internal sealed class ConfinedFolder
{
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int SpecialBits = 0xE00; // setuid 04000, setgid 02000, sticky 01000
    private const int ExecuteBits = 0x49;  // 0111

    public ConfinedFolder(string root)
    {
        // The folder itself is the user's choice and may be reached through a link; what is inside is checked.
        Root = Path.GetFullPath(new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? root);
    }

    public string Root { get; }

    /// <summary>Writes <paramref name="content"/> at <paramref name="path"/>; <paramref name="mode"/> is the session's st_mode or permission bits.</summary>
    public ChangeResult Write(string path, ReadOnlySpan<byte> content, int? mode)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        return Write(path, stream, mode);
    }

    public ChangeResult Write(string path, Stream content, int? mode)
    {
        if (mode is { } m && Refusal(m) is { } badMode)
        {
            return ChangeResult.Refused(path, badMode);
        }

        if (Resolve(path, out var target, out var reason) is not { } missingFrom)
        {
            return ChangeResult.Refused(path, reason);
        }

        var (kind, existingMode) = FileStatus.Of(target);
        if (kind is not (FileKind.Missing or FileKind.Regular))
        {
            return ChangeResult.Refused(path, $"the local '{path}' is a {Describe(kind)}, which sync never replaces");
        }

        CreateFolders(path, missingFrom);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".catty-{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = (UnixFileMode)0x1B6, // 0666; the umask applies
            }))
            {
                content.CopyTo(file);
            }

            var permissions = kind == FileKind.Regular ? existingMode & 0x1B6 : (int)File.GetUnixFileMode(temporary) & 0x1B6;
            if (mode is { } sent && (sent & ExecuteBits) != 0)
            {
                permissions |= (permissions & 0x124) >> 2; // x wherever r: 0644 → 0755
            }

            File.SetUnixFileMode(temporary, (UnixFileMode)permissions);
            File.Move(temporary, target, overwrite: true);
            return ChangeResult.Ok(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ChangeResult.Refused(path, $"it could not be written: {e.Message}");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Deletes the regular file at <paramref name="path"/>; a missing one counts as deleted.</summary>
    public ChangeResult Delete(string path)
    {
        if (Resolve(path, out var target, out var reason) is null)
        {
            return ChangeResult.Refused(path, reason);
        }

        var (kind, _) = FileStatus.Of(target);
        switch (kind)
        {
            case FileKind.Missing:
                return ChangeResult.Ok(path);
            case FileKind.Regular:
                try
                {
                    File.Delete(target);
                    return ChangeResult.Ok(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return ChangeResult.Refused(path, $"it could not be deleted: {e.Message}");
                }

            default:
                return ChangeResult.Refused(path, $"the local '{path}' is a {Describe(kind)}, which sync never deletes");
        }
    }

    /// <summary>
    /// The SHA-256 (lowercase hex) of the regular file at <paramref name="path"/>; null with an empty
    /// <paramref name="reason"/> when it is missing, null with the reason when the path is refused or names
    /// something else than a regular file.
    /// </summary>
    public string? HashOf(string path, out string reason)
    {
        if (Resolve(path, out var target, out reason) is null)
        {
            return null;
        }

        var (kind, _) = FileStatus.Of(target);
        switch (kind)
        {
            case FileKind.Missing:
                return null;
            case FileKind.Regular:
                try
                {
                    using var file = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
                    return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    reason = $"it could not be read: {e.Message}";
                    return null;
                }

            default:
                reason = $"the local '{path}' is a {Describe(kind)}, which sync never deletes";
                return null;
        }
    }

    /// <summary>Makes the folder <paramref name="path"/> (and its parents).</summary>
    public ChangeResult CreateFolder(string path)
    {
        if (Resolve(path, out var target, out var reason) is not { } missingFrom)
        {
            return ChangeResult.Refused(path, reason);
        }

        var (kind, _) = FileStatus.Of(target);
        if (kind is not (FileKind.Missing or FileKind.Directory))
        {
            return ChangeResult.Refused(path, $"the local '{path}' is a {Describe(kind)}, not a folder");
        }

        CreateFolders(path, missingFrom);
        Directory.CreateDirectory(target);
        return ChangeResult.Ok(path);
    }

    /// <summary>Makes a symbolic link whose target, read from where the link sits, stays inside the folder.</summary>
    public ChangeResult CreateLink(string path, string linkTarget)
    {
        if (Resolve(path, out var target, out var reason) is not { } missingFrom)
        {
            return ChangeResult.Refused(path, reason);
        }

        if (!StaysInside(path, linkTarget))
        {
            return ChangeResult.Refused(path, $"it is a link to '{linkTarget}', outside the folder");
        }

        if (FileStatus.Of(target).Kind != FileKind.Missing)
        {
            return ChangeResult.Refused(path, "something is already there");
        }

        CreateFolders(path, missingFrom);
        File.CreateSymbolicLink(target, linkTarget);
        return ChangeResult.Ok(path);
    }

    /// <summary>Why a session's mode is refused: a type other than a regular file, or setuid/setgid/sticky bits.</summary>
    public static string? Refusal(int mode)
    {
        var type = mode & TypeMask;
        if (type != 0 && type != RegularType)
        {
            return $"its mode {Convert.ToString(mode, 8)} makes it a {Describe(FileStatus.KindOf(mode))}, and sync only writes regular files";
        }

        return (mode & SpecialBits) != 0 ? $"its mode {Convert.ToString(mode, 8)} carries setuid, setgid or sticky bits" : null;
    }

    /// <summary>
    /// Checks every existing parent of <paramref name="path"/>; returns how many leading components exist
    /// (the rest are folders to create), or null with the reason it is refused.
    /// </summary>
    private int? Resolve(string path, out string target, out string reason)
    {
        target = "";
        var parts = RelativePath.Split(path, out reason);
        if (parts is null)
        {
            return null;
        }

        var current = Root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            var (kind, _) = FileStatus.Of(current);
            switch (kind)
            {
                case FileKind.Directory:
                    continue;
                case FileKind.Missing:
                    target = Path.Combine(Root, Path.Combine(parts));
                    return i;
                case FileKind.SymbolicLink:
                    reason = $"it goes through the symbolic link '{string.Join('/', parts[..(i + 1)])}'";
                    return null;
                default:
                    reason = $"'{string.Join('/', parts[..(i + 1)])}' is a {Describe(kind)}, not a folder";
                    return null;
            }
        }

        target = Path.Combine(Root, Path.Combine(parts));
        return parts.Length - 1;
    }

    private void CreateFolders(string path, int existing)
    {
        var parts = path.Split('/');
        var current = Root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            if (i >= existing)
            {
                Directory.CreateDirectory(current);
            }
        }
    }

    /// <summary>
    /// Whether a link at <paramref name="path"/> to <paramref name="linkTarget"/> resolves inside the folder. The
    /// check is on the text, which is sound only when '..' comes first: "b/../x" through a link b → "." would
    /// climb out physically while staying inside on paper, so '..' after a name is refused.
    /// </summary>
    private static bool StaysInside(string path, string linkTarget)
    {
        if (linkTarget.Length == 0 || linkTarget[0] == '/' || linkTarget.Contains('\\', StringComparison.Ordinal))
        {
            return false;
        }

        var stack = new List<string>(path.Split('/')[..^1]);
        var descended = false;
        foreach (var part in linkTarget.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (stack.Count == 0 || descended)
                    {
                        return false;
                    }

                    stack.RemoveAt(stack.Count - 1);
                    continue;
                default:
                    if (part.Equals(".git", StringComparison.OrdinalIgnoreCase))
                    {
                        return false;
                    }

                    stack.Add(part);
                    descended = true;
                    continue;
            }
        }

        return true;
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.SymbolicLink => "symbolic link",
        FileKind.Directory => "folder",
        FileKind.Fifo => "FIFO",
        FileKind.Socket => "socket",
        FileKind.CharacterDevice or FileKind.BlockDevice => "device file",
        _ => "file",
    };
}
