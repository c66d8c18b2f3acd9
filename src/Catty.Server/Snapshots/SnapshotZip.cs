using System.IO.Compression;
using Catty.Sdk.AgentControl;
using Catty.Server.Blobs;

namespace Catty.Server.Snapshots;

/// <summary>
/// A snapshot as the workspace upload a new machine takes (<c>application/zip</c>): folders and files with their
/// modes. Links are left out, as the upload refuses them. Written to a temporary file that deletes itself.
/// </summary>
internal sealed class SnapshotZip(IBlobStore store)
{
    /// <summary>The zip, positioned at its start; null when a blob the manifest names is missing.</summary>
    public async Task<FileStream?> WriteAsync(IReadOnlyList<ManifestEntryDto> manifest, DateTimeOffset time, CancellationToken ct)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var entry in manifest)
                {
                    if (!await AddAsync(zip, entry, time, ct))
                    {
                        await file.DisposeAsync();
                        return null;
                    }
                }
            }

            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private async Task<bool> AddAsync(ZipArchive zip, ManifestEntryDto entry, DateTimeOffset time, CancellationToken ct)
    {
        const int directoryType = 0x4000;
        const int fileType = 0x8000;
        switch (entry.Kind)
        {
            case ManifestKinds.Directory:
                var folder = zip.CreateEntry(entry.Path + "/", CompressionLevel.NoCompression);
                folder.ExternalAttributes = (directoryType | (entry.Mode & 0x1FF)) << 16;
                folder.LastWriteTime = time;
                return true;
            case ManifestKinds.File when SnapshotKeys.IsSha256(entry.Sha256):
                await using (var blob = await store.OpenReadAsync(SnapshotKeys.Blob(entry.Sha256!), ct))
                {
                    if (blob is null)
                    {
                        return false;
                    }

                    var file = zip.CreateEntry(entry.Path, CompressionLevel.Fastest);
                    file.ExternalAttributes = (fileType | (entry.Mode & 0x1FF)) << 16;
                    file.LastWriteTime = time;
                    await using var gzip = new GZipStream(blob, CompressionMode.Decompress);
                    await using var target = file.Open();
                    await gzip.CopyToAsync(target, ct);
                }

                return true;
            default:
                return true;
        }
    }
}
