using Catty.Agent.Workspace.Native;

namespace Catty.Agent.Launch;

/// <summary>
/// Fills a fresh private home from a template folder, so that a tool starts configured (e.g. Claude Code's
/// <c>.claude.json</c> with its first-run questions answered). Folders and regular files only, modes kept;
/// links and special files are left out, so the template cannot point the program at anything else.
/// </summary>
internal static class HomeTemplate
{
    /// <summary>Copies <paramref name="template"/>'s content into the existing folder <paramref name="home"/>.</summary>
    public static void CopyInto(string template, string home)
    {
        foreach (var entry in new DirectoryInfo(template).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(home, entry.Name);
            if (!FsNative.TryStatNoFollow(FsNative.AtFdCwd, entry.FullName, out var status, out _))
                continue;
            if (status.Kind == FileKind.Directory && entry is DirectoryInfo dir)
            {
                Directory.CreateDirectory(target, File.GetUnixFileMode(dir.FullName) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                CopyInto(dir.FullName, target);
            }
            else if (status.Kind == FileKind.File && entry is FileInfo file)
            {
                file.CopyTo(target, overwrite: false);
                File.SetUnixFileMode(target, File.GetUnixFileMode(file.FullName) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }
}
