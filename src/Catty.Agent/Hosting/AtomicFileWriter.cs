namespace Catty.Agent.Hosting;

/// <summary>
/// Writes a whole file so that a reader sees either the old content or the new, never a torn one:
/// write a temporary sibling, flush it to disk, then rename over the target.
/// </summary>
internal static class AtomicFileWriter
{
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
