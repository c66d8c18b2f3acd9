namespace Catty.Server.Runtimes.Local.Cgroups;

/// <summary>Reads and writes of cgroup control files: one write(2) per value, as the kernel expects.</summary>
internal static class CgroupFiles
{
    public static void Write(string path, string value)
    {
        // OpenOrCreate, not Create: cgroupfs files exist and must not be truncated; a test's fake folder has none yet.
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(value));
    }

    public static bool TryWrite(string path, string value)
    {
        try
        {
            Write(path, value);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Writes <paramref name="value"/> only when the kernel offers the file (e.g. swap accounting may be off).</summary>
    public static void WriteIfPresent(string path, string value)
    {
        if (File.Exists(path))
        {
            Write(path, value);
        }
    }

    public static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
