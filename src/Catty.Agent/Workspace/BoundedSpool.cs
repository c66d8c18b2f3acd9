using System.Buffers;

namespace Catty.Agent.Workspace;

/// <summary>How a spool ended: stored, over the limit, or the local write failed (reading errors propagate).</summary>
internal readonly record struct SpoolResult(long Bytes, bool TooLarge, string? WriteError);

/// <summary>Copies a request body to a file, stopping as soon as it passes a byte limit.</summary>
internal static class BoundedSpool
{
    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/>, reading at most one byte past <paramref name="maxBytes"/>.</summary>
    public static async Task<SpoolResult> CopyAsync(Stream source, Stream destination, long maxBytes, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes - total + 1)), ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    return new SpoolResult(total, TooLarge: true, null);
                }

                try
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                catch (IOException e)
                {
                    return new SpoolResult(total, TooLarge: false, e.Message);
                }
            }

            return new SpoolResult(total, TooLarge: false, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
