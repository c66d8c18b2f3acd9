namespace Catty.Cli.Config;

/// <summary>
/// <c>~/.catty</c>: credentials and secrets, readable by the owner alone. The folder is kept at 0700 and every
/// file is written 0600 through a temporary file renamed into place, so a crash never leaves half a file and
/// there is no moment when a file exists with wider permissions.
/// </summary>
internal sealed class CattyHome(string home)
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The folder itself, <c>$HOME/.catty</c>.</summary>
    public string Folder { get; } = Path.Combine(home, ".catty");

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>The file's bytes, or null when it does not exist.</summary>
    public byte[]? Read(string name)
    {
        try
        {
            return File.ReadAllBytes(PathOf(name));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Replaces the file with <paramref name="content"/>, mode 0600, in a 0700 folder.</summary>
    public void Write(string name, ReadOnlySpan<byte> content)
    {
        EnsureFolder();
        var target = PathOf(name);
        var temporary = Path.Combine(Folder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            // CreateNew applied the umask; say the mode once more so it is exactly 0600.
            File.SetUnixFileMode(temporary, FileMode);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Deletes the file; true when there was one.</summary>
    public bool Delete(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>Waits for the lock named <paramref name="name"/> that catty processes take before changing a file here.</summary>
    public Task<Native.FileLock> LockAsync(string name)
    {
        EnsureFolder();
        return Native.FileLock.AcquireAsync(PathOf(name));
    }

    private void EnsureFolder()
    {
        if (!Directory.Exists(Folder))
        {
            Directory.CreateDirectory(Folder, FolderMode);
        }

        // An existing folder may have been made by hand with wider permissions.
        if (File.GetUnixFileMode(Folder) != FolderMode)
        {
            File.SetUnixFileMode(Folder, FolderMode);
        }
    }
}
