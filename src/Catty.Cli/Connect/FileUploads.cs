using Catty.Sdk.Terminal;

namespace Catty.Cli.Connect;

/// <summary>
/// A pasted file as <c>file_upload</c> (small files) or a run of <c>file_upload_chunk</c> messages, each under
/// the agent's 1 MiB message limit. The agent writes it into <c>.catty-uploads/</c> in the workspace.
/// </summary>
internal static class FileUploads
{
    /// <summary>Raw bytes per message: 512 KiB is about 700 KB of base64.</summary>
    public const int ChunkBytes = 512 * 1024;

    public const string UploadFolder = ".catty-uploads";

    public static string RemotePath(string workspaceDir, PastedFile file) =>
        $"{workspaceDir.TrimEnd('/')}/{UploadFolder}/{file.RemoteName}";

    public static IEnumerable<ControlMessage> Messages(PastedFile file, string workspaceDir)
    {
        var content = File.ReadAllBytes(file.LocalPath);
        var remotePath = RemotePath(workspaceDir, file);
        if (content.Length <= ChunkBytes)
        {
            yield return new FileUploadMessage(file.RemoteName, Convert.ToBase64String(content), remotePath, file.MimeType);
            yield break;
        }

        var uploadId = Guid.NewGuid().ToString("N");
        var total = (content.Length + ChunkBytes - 1) / ChunkBytes;
        for (var i = 0; i < total; i++)
        {
            var piece = content.AsSpan(i * ChunkBytes, Math.Min(ChunkBytes, content.Length - i * ChunkBytes));
            yield return new FileUploadChunkMessage(uploadId, file.RemoteName, i, total, Convert.ToBase64String(piece), remotePath, file.MimeType);
        }
    }
}
