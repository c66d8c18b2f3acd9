using System.IO.Compression;

namespace Catty.Cli.Workspace;

/// <summary>
/// Writes a <see cref="WorkspaceListing"/> as the zip the upload endpoint takes: folders as entries (so empty
/// ones arrive), Unix type and permission bits in the external attributes (so executables stay executable),
/// stopping as soon as the archive passes the limit.
/// </summary>
internal static class WorkspaceZip
{
    /// <summary>DESIGN.md ("Workspaces"): 100 MB compressed.</summary>
    public const long MaxBytes = 100L * 1024 * 1024;

    private const int RegularFile = 0x8000;
    private const int Directory = 0x4000;
    private static readonly DateTimeOffset ZipEpoch = new(1980, 1, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the archive to <paramref name="output"/>; false when it grew past <paramref name="limit"/> (the output is then incomplete).</summary>
    /// <param name="hashes">When given, receives each file's SHA-256 (lowercase hex) by path, of the bytes put in the archive.</param>
    public static bool Write(WorkspaceListing listing, Stream output, long limit = MaxBytes, IDictionary<string, string>? hashes = null)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in listing.Entries)
        {
            if (entry.IsDirectory)
            {
                var folder = zip.CreateEntry(entry.Path + "/", CompressionLevel.NoCompression);
                folder.ExternalAttributes = (Directory | (entry.Mode == 0 ? 0x1ED : entry.Mode)) << 16;
                folder.LastWriteTime = Clamp(System.IO.Directory.GetLastWriteTimeUtc(entry.FullPath));
                continue;
            }

            var file = zip.CreateEntry(entry.Path, CompressionLevel.Optimal);
            file.ExternalAttributes = (RegularFile | entry.Mode) << 16;
            file.LastWriteTime = Clamp(File.GetLastWriteTimeUtc(entry.FullPath));
            using (var source = new FileStream(entry.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024))
            using (var target = file.Open())
            {
                if (hashes is null)
                {
                    source.CopyTo(target);
                }
                else
                {
                    using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                    var buffer = new byte[64 * 1024];
                    int read;
                    while ((read = source.Read(buffer)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        target.Write(buffer, 0, read);
                    }

                    hashes[entry.Path] = Convert.ToHexStringLower(hash.GetHashAndReset());
                }
            }

            if (output.Position > limit)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Zip timestamps cover 1980–2107 only.</summary>
    private static DateTimeOffset Clamp(DateTime utc)
    {
        var time = new DateTimeOffset(utc, TimeSpan.Zero);
        return time < ZipEpoch ? ZipEpoch : time.Year > 2107 ? ZipEpoch : time;
    }
}
