using System.Buffers;
using System.Security.Cryptography;
using Catty.Agent.Workspace.Native;
using Microsoft.Win32.SafeHandles;

namespace Catty.Agent.Snapshots;

/// <summary>
/// Hashes one file opened without following links, and only trusts the result when the file's status
/// is the same before and after the read; a file that keeps changing is left for the next scan.
/// </summary>
internal sealed class FileHasher : IDisposable
{
    private const int BufferSize = 128 * 1024;
    private const int Attempts = 3;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _files;
    private long _bytes;

    /// <summary>Files hashed so far (each read counts, retries included).</summary>
    public long FilesHashed => Interlocked.Read(ref _files);

    /// <summary>Bytes read for hashing so far.</summary>
    public long BytesHashed => Interlocked.Read(ref _bytes);

    /// <summary>Hashes <paramref name="name"/> in the directory <paramref name="dirFd"/>.</summary>
    /// <param name="status">The status of the content that was hashed.</param>
    /// <returns>Lowercase hex SHA-256, or null when the file vanished, is not a regular file, or would not hold still.</returns>
    public string? TryHash(int dirFd, string name, out FileStatus status)
    {
        status = default;
        var fd = FsNative.OpenAt(dirFd, name, FsNative.OpenFileFlags, out _);
        if (fd < 0)
        {
            return null;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                if (!FsNative.TryStatFd(fd, out var before) || before.Kind != FileKind.File)
                {
                    return null;
                }

                var read = HashContent(handle, buffer);
                var digest = _hash.GetHashAndReset();
                if (FsNative.TryStatFd(fd, out var after) && after.SameContentAs(before) && read == before.Size)
                {
                    status = before;
                    return Convert.ToHexStringLower(digest);
                }
            }

            return null;
        }
        catch (IOException)
        {
            _hash.GetHashAndReset(); // drop the partial read so the next file starts clean
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _hash.Dispose();

    private long HashContent(SafeFileHandle handle, byte[] buffer)
    {
        long offset = 0;
        int read;
        while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
        {
            _hash.AppendData(buffer, 0, read);
            offset += read;
        }

        Interlocked.Increment(ref _files);
        Interlocked.Add(ref _bytes, offset);
        return offset;
    }
}
