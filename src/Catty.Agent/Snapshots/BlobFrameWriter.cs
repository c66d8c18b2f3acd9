using System.Buffers;
using System.Buffers.Binary;
using Catty.Sdk.AgentControl;

namespace Catty.Agent.Snapshots;

/// <summary>
/// Writes the body of <c>POST /snapshot/blobs</c> (<see cref="BlobFrames"/>): each content the last scan
/// found, read from a file whose status has not changed since, exactly the scanned size. Many small files
/// go out in one response through one buffer, so a first snapshot of thousands of files costs a few
/// round trips, not one per file. The hash is checked by the receiver, which trusts nothing it was sent.
/// </summary>
internal static class BlobFrameWriter
{
    private const int BufferBytes = 128 * 1024;

    public static async Task WriteAsync(Stream output, IReadOnlyList<string> sha256s, WorkspaceManifestBuilder builder)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        var used = 0;
        try
        {
            foreach (var sha256 in sha256s)
            {
                using var handle = builder.TryOpenUnchanged(sha256, out var size);
                if (used + BlobFrames.HeaderBytes > buffer.Length)
                {
                    await output.WriteAsync(buffer.AsMemory(0, used)).ConfigureAwait(false);
                    used = 0;
                }

                BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(used), handle is null ? BlobFrames.Missing : size);
                used += BlobFrames.HeaderBytes;
                for (long offset = 0; handle is not null && offset < size;)
                {
                    if (used == buffer.Length)
                    {
                        await output.WriteAsync(buffer.AsMemory(0, used)).ConfigureAwait(false);
                        used = 0;
                    }

                    var room = buffer.AsSpan(used, (int)Math.Min(buffer.Length - used, size - offset));
                    var read = Read(handle, room, offset);
                    used += read;
                    offset += read;
                }
            }

            await output.WriteAsync(buffer.AsMemory(0, used)).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Fills <paramref name="room"/> from the file; a file that shrank or fails is padded with zeros, which fail the receiver's hash check.</summary>
    private static int Read(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> room, long offset)
    {
        int read;
        try
        {
            read = RandomAccess.Read(handle, room, offset);
        }
        catch (IOException)
        {
            read = 0;
        }

        if (read == 0)
        {
            room.Clear();
            return room.Length;
        }

        return read;
    }
}
