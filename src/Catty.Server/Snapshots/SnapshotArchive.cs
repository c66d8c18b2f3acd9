using System.Formats.Tar;
using System.IO.Compression;
using Catty.Sdk.AgentControl;
using Catty.Server.Blobs;
using Catty.Server.Storage;

namespace Catty.Server.Snapshots;

/// <summary>
/// Materializes a snapshot as <c>downloads/&lt;snapshot-id&gt;.tar.gz</c> (once: snapshots never change): folders,
/// files and links with their modes, rebuilt from the manifest and the content-addressed blobs.
/// </summary>
internal sealed class SnapshotArchive(IBlobStore store, SnapshotManifests manifests)
{
    private const int InMemoryLimit = 8 * 1024 * 1024;

    /// <summary>The archive's key and size; null when the snapshot's manifest or one of its blobs is missing, or the manifest is not whole.</summary>
    public async Task<(string Key, long Size)?> EnsureAsync(SnapshotRecord snapshot, CancellationToken ct)
    {
        var key = SnapshotKeys.Download(snapshot.Id);
        // A zero-length object is an archive of an empty workspace written before empty archives
        // got their end-of-archive blocks; it is not gzip, so it is rebuilt rather than served.
        if (await store.GetSizeAsync(key, ct) is { } existing and > 0)
        {
            return (key, existing);
        }

        var manifest = await manifests.ReadWholeAsync(snapshot.SessionId, snapshot.Seq, snapshot.Digest, ct);
        if (manifest is null)
        {
            return null;
        }

        await using var archive = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        if (!await WriteTarGzAsync(manifest, snapshot.CreatedAt, archive, ct))
        {
            return null;
        }

        var size = archive.Length;
        archive.Position = 0;
        await store.PutAsync(key, archive, ct);
        return (key, size);
    }

    private async Task<bool> WriteTarGzAsync(IReadOnlyList<ManifestEntryDto> manifest, DateTimeOffset time, Stream output, CancellationToken ct)
    {
        await using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
        var written = 0;
        foreach (var entry in manifest)
        {
            var mode = (UnixFileMode)(entry.Mode & 0x1FF);
            switch (entry.Kind)
            {
                case ManifestKinds.Directory:
                    await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, entry.Path + "/") { Mode = mode, ModificationTime = time }, ct);
                    written++;
                    break;
                case ManifestKinds.Symlink:
                    await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, entry.Path) { LinkName = entry.LinkTarget ?? "", Mode = mode, ModificationTime = time }, ct);
                    written++;
                    break;
                case ManifestKinds.File when SnapshotKeys.IsSha256(entry.Sha256):
                    await using (var content = await OpenContentAsync(entry, ct))
                    {
                        if (content is null)
                        {
                            return false;
                        }

                        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, entry.Path) { Mode = mode, ModificationTime = time, DataStream = content }, ct);
                    }

                    written++;
                    break;
            }
        }

        if (written == 0)
        {
            // TarWriter writes its end-of-archive blocks only after an entry, and GZipStream writes no
            // header for no data: an empty workspace would become a 0-byte file that neither tar nor a
            // gzip reader accepts. Two zero blocks make a valid empty tar inside a valid gzip.
            await gzip.WriteAsync(new byte[2 * 512], ct);
        }

        return true;
    }

    /// <summary>The decompressed content in a seekable stream, as the tar writer needs its length up front.</summary>
    private async Task<Stream?> OpenContentAsync(ManifestEntryDto entry, CancellationToken ct)
    {
        await using var blob = await store.OpenReadAsync(SnapshotKeys.Blob(entry.Sha256!), ct);
        if (blob is null)
        {
            return null;
        }

        Stream content = entry.Size <= InMemoryLimit
            ? new MemoryStream()
            : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (var gzip = new GZipStream(blob, CompressionMode.Decompress))
        {
            await gzip.CopyToAsync(content, ct);
        }

        content.Position = 0;
        return content;
    }
}
