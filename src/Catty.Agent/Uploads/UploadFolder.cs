using System.Globalization;
using Catty.Agent.Workspace.Native;
using Microsoft.Win32.SafeHandles;

namespace Catty.Agent.Uploads;

/// <summary>
/// The workspace's <c>.catty-uploads/</c> folder, opened without following links: a link planted in its
/// place by the program is refused, and every file operation is relative to the opened folder, so
/// swapping the folder later cannot redirect a write. Files are written to a temp name there and renamed
/// into place when complete, never replacing an existing file (a clash gets a " (n)" suffix).
/// </summary>
internal sealed class UploadFolder(string workspace)
{
    public const string Name = ".catty-uploads";
    private const string TempPrefix = ".incoming-";

    private readonly string _workspace = Path.GetFullPath(workspace);

    /// <summary>Creates the folder if needed and opens it; null with an error when it is not a plain folder.</summary>
    public DirectoryHandle? Open(out string? error)
    {
        error = null;
        try
        {
            Directory.CreateDirectory(Path.Combine(_workspace, Name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot create {Name}: {e.Message}";
            return null;
        }
        using var root = DirectoryHandle.OpenAt(FsNative.AtFdCwd, _workspace, FsNative.OpenRootFlags);
        var folder = root is null ? null : DirectoryHandle.OpenAt(root.Fd, Name, FsNative.OpenDirectoryFlags);
        if (folder is null)
            error = $"{Name} in the workspace is not a folder; upload refused";
        return folder;
    }

    /// <summary>A fresh temp file in the folder; null with an error when it cannot be created.</summary>
    public static SafeFileHandle? CreateTemp(DirectoryHandle folder, out string tempName, out string? error)
    {
        tempName = TempPrefix + Guid.NewGuid().ToString("N");
        var fd = UploadNative.CreateNew(folder.Fd, tempName, out var errno);
        error = fd < 0 ? $"cannot create a file in {Name} (errno {errno})" : null;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Renames a complete temp file to <paramref name="name"/> (already sanitised); returns the final name, or null with an error (the temp file removed).</summary>
    public static string? Commit(DirectoryHandle folder, string tempName, string name, out string? error)
    {
        error = null;
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var n = 0; n < 1000; n++)
        {
            var candidate = n == 0 ? name : string.Create(CultureInfo.InvariantCulture, $"{stem} ({n}){extension}");
            if (UploadNative.RenameNoReplace(folder.Fd, tempName, candidate, out var errno))
                return candidate;
            if (errno != UploadNative.EEXIST)
            {
                error = $"cannot store upload '{name}' (errno {errno})";
                Discard(folder, tempName);
                return null;
            }
        }
        error = $"cannot store upload '{name}': too many files with that name";
        Discard(folder, tempName);
        return null;
    }

    public static void Discard(DirectoryHandle folder, string tempName) => UploadNative.Unlink(folder.Fd, tempName);
}
