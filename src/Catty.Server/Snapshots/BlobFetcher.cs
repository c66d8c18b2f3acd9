using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Catty.Sdk.AgentControl;
using Catty.Server.Blobs;
using Catty.Server.Runtimes;

namespace Catty.Server.Snapshots;

/// <summary>A content to fetch: its hash and the size the manifest gave it.</summary>
internal readonly record struct WantedBlob(string Sha256, long Size);

/// <summary>
/// Pulls file contents from a session's agent, many per request (<see cref="BlobFrames"/>), checks each
/// against the hash the manifest gave it, and stores it gzip-compressed under its content address, unflushed:
/// the caller flushes the store once before anything names the new blobs. Content that does not match is
/// never stored.
/// </summary>
internal static class BlobFetcher
{
    private const int InMemoryLimit = 8 * 1024 * 1024;
    private const int BufferBytes = 128 * 1024;

    /// <summary>
    /// Fetches one batch; <paramref name="stored"/> is told of each content stored. True when all were;
    /// false when some were not (changed since the scan, or the agent went away): the next snapshot retries.
    /// </summary>
    public static async Task<bool> FetchAsync(AgentClient agent, IBlobStore store, IReadOnlyList<WantedBlob> batch, Action<string> stored, CancellationToken ct)
    {
        using var request = new StringContent(BlobFrames.RequestBody(batch.Select(b => b.Sha256)), Encoding.ASCII, "text/plain");
        using var response = await agent.PostAsync("snapshot/blobs", request, ct);
        if (response is not { IsSuccessStatusCode: true })
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var complete = true;
            foreach (var wanted in batch)
            {
                await body.ReadExactlyAsync(buffer.AsMemory(0, BlobFrames.HeaderBytes), ct);
                var length = BinaryPrimitives.ReadInt64BigEndian(buffer);
                if (length == BlobFrames.Missing)
                {
                    complete = false;
                    continue;
                }

                if (length != wanted.Size)
                {
                    return false; // not what the manifest said: nothing after this can be framed with confidence
                }

                if (await StoreOneAsync(body, store, wanted, buffer, ct))
                {
                    stored(wanted.Sha256);
                }
                else
                {
                    complete = false;
                }
            }

            return complete;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // Includes EndOfStreamException: the agent went away mid-answer.
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads exactly the content's bytes from <paramref name="body"/>; stores it when it hashes as promised.</summary>
    private static async Task<bool> StoreOneAsync(Stream body, IBlobStore store, WantedBlob wanted, byte[] buffer, CancellationToken ct)
    {
        Stream compressed = wanted.Size <= InMemoryLimit
            ? new MemoryStream()
            : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (compressed)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                for (var left = wanted.Size; left > 0;)
                {
                    var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct);
                    if (read == 0)
                    {
                        throw new EndOfStreamException("The agent's answer ended inside a content.");
                    }

                    hash.AppendData(buffer, 0, read);
                    await gzip.WriteAsync(buffer.AsMemory(0, read), ct);
                    left -= read;
                }
            }

            // A file that changed while it was read (or a padded one that shrank) does not hash as promised.
            if (!Convert.ToHexStringLower(hash.GetHashAndReset()).Equals(wanted.Sha256, StringComparison.Ordinal))
            {
                return false;
            }

            compressed.Position = 0;
            await store.PutUnflushedAsync(SnapshotKeys.Blob(wanted.Sha256), compressed, ct);
            return true;
        }
    }
}
