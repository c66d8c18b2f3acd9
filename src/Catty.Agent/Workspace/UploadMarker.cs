namespace Catty.Agent.Workspace;

/// <summary>
/// The file, kept outside the workspace, that says a workspace already received its upload. It is claimed
/// with an exclusive create before the body is read, so two concurrent uploads cannot both proceed.
/// </summary>
internal sealed class UploadMarker
{
    private readonly string _path;

    private UploadMarker(string path) => _path = path;

    /// <summary>Claims the marker; null when it exists already (an upload finished, runs, or was interrupted).</summary>
    public static UploadMarker? TryClaim(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write("uploading\n"u8);
            return new UploadMarker(path);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>Records the finished upload; written aside and renamed so a crash never leaves half a marker.</summary>
    public void Complete(UploadResult.Ok ok)
    {
        var temp = _path + ".tmp";
        File.WriteAllText(temp, $"complete files={ok.Files} directories={ok.Directories} bytes={ok.Bytes}\n");
        File.Move(temp, _path, overwrite: true);
    }

    /// <summary>Gives the claim back after a refused upload so that a corrected one may follow.</summary>
    public void Release() => File.Delete(_path);
}
