using Catty.Agent.Workspace.Native;
using Microsoft.Win32.SafeHandles;

namespace Catty.Agent.Uploads;

/// <summary>An upload in progress: the folder it lives in, its temp file, and which chunk comes next.</summary>
internal sealed class ChunkedUpload(string name, int totalChunks, DirectoryHandle folder, SafeFileHandle file, string tempName, long startedAt)
{
    public string Name { get; } = name;

    public int TotalChunks { get; } = totalChunks;

    public DirectoryHandle Folder { get; } = folder;

    public SafeFileHandle File { get; } = file;

    public string TempName { get; } = tempName;

    public int NextIndex { get; set; }

    public long Bytes { get; set; }

    /// <summary>Timestamp (TimeProvider) of the last chunk.</summary>
    public long LastActivity { get; set; } = startedAt;

    /// <summary>Closes the file and renames it into place; returns the error, if any.</summary>
    public string? Complete()
    {
        File.Dispose();
        using (Folder)
            return UploadFolder.Commit(Folder, TempName, Name, out var error) is null ? error : null;
    }

    public void Discard()
    {
        File.Dispose();
        using (Folder)
            UploadFolder.Discard(Folder, TempName);
    }
}
