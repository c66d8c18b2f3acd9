namespace Catty.Agent.Terminal;

/// <summary>
/// The output bytes a driver has not been sent yet, addressed by absolute stream position (<see cref="Written"/>
/// bytes in so far, <see cref="Read"/> taken out) in a ring that grows on demand, so an idle driver holds
/// little. Not thread-safe: the <see cref="OutboundQueue"/>'s lock covers it.
/// </summary>
internal sealed class ByteRing(int maxBytes)
{
    private byte[] _ring = [];

    public long Written { get; private set; }

    public long Read { get; private set; }

    public long Pending => Written - Read;

    /// <summary>Copies <paramref name="data"/> in, growing the ring when it lacks room (never past <c>maxBytes</c> unless one append needs it).</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        var pending = (int)Pending;
        if (pending + data.Length > _ring.Length)
            Grow(pending + data.Length);
        CopyIn(_ring, Written, data);
        Written += data.Length;
    }

    /// <summary>Moves the bytes from <see cref="Read"/> on into <paramref name="destination"/>, all of which must be pending.</summary>
    public void Take(Span<byte> destination)
    {
        CopyOut(_ring, Read, destination);
        Read += destination.Length;
    }

    /// <summary>Drops everything pending.</summary>
    public void Discard() => Read = Written;

    private void Grow(int needed)
    {
        var size = Math.Max(needed, Math.Min(Math.Max(_ring.Length * 2, 64 * 1024), maxBytes));
        var grown = new byte[size];
        var pending = (int)Pending;
        if (pending > 0)
        {
            // Straight from the old ring into its place in the new one, each wrapped part on its own.
            var at = (int)(Read % size);
            var first = Math.Min(pending, size - at);
            CopyOut(_ring, Read, grown.AsSpan(at, first));
            CopyOut(_ring, Read + first, grown.AsSpan(0, pending - first));
        }
        _ring = grown;
    }

    /// <summary>Writes <paramref name="data"/> at absolute stream <paramref name="position"/> of a ring.</summary>
    private static void CopyIn(byte[] ring, long position, ReadOnlySpan<byte> data)
    {
        var at = (int)(position % ring.Length);
        var first = Math.Min(data.Length, ring.Length - at);
        data[..first].CopyTo(ring.AsSpan(at));
        data[first..].CopyTo(ring);
    }

    /// <summary>Reads <paramref name="destination"/>.Length bytes from absolute stream <paramref name="position"/> of a ring.</summary>
    private static void CopyOut(byte[] ring, long position, Span<byte> destination)
    {
        var at = (int)(position % ring.Length);
        var first = Math.Min(destination.Length, ring.Length - at);
        ring.AsSpan(at, first).CopyTo(destination);
        ring.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
    }
}
