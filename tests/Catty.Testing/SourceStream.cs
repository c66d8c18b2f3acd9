namespace Catty.Testing;

/// <summary>
/// The one stand-in for a source of bytes (an upload's body, an object to store): read-only and non-seekable,
/// so the reader cannot learn the length up front, and it counts what was read. Its bytes are either given
/// (<see cref="Over"/>) or <c>length</c> deterministic pseudo-random ones, so that large objects need no memory.
/// Optionally trips once after a given number of bytes: runs an action (cancel a token) or throws (a disk or
/// network failure).
/// </summary>
public sealed class SourceStream : Stream
{
    private readonly long _length;
    private readonly Action<long, Span<byte>> _fill;
    private long _position;

    /// <summary><paramref name="length"/> pseudo-random bytes, the same for the same <paramref name="seed"/>.</summary>
    public SourceStream(long length, int seed = 1)
    {
        var random = new Random(seed);
        _length = length;
        _fill = (_, buffer) => random.NextBytes(buffer);
    }

    private SourceStream(byte[] content)
    {
        _length = content.Length;
        _fill = (at, buffer) => content.AsSpan((int)at, buffer.Length).CopyTo(buffer);
    }

    /// <summary>A stream of exactly <paramref name="content"/>.</summary>
    public static SourceStream Over(byte[] content) => new(content);

    /// <summary>How many bytes were read so far.</summary>
    public long BytesRead => _position;

    /// <summary>Where the stream trips, in bytes from the start; never when null.</summary>
    public long? TripAt { get; init; }

    /// <summary>What happens when the stream reaches <see cref="TripAt"/>; by default an <see cref="IOException"/>.</summary>
    public Action OnTrip { get; init; } = () => throw new IOException("Simulated failure of the source stream.");

    /// <summary>The SHA-256 of the whole stream with the same length and seed.</summary>
    public static async Task<byte[]> HashAsync(long length, int seed = 1)
    {
        using var stream = new SourceStream(length, seed);
        return await System.Security.Cryptography.SHA256.HashDataAsync(stream);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var end = _length;
        if (TripAt is { } trip && _position >= trip)
        {
            OnTrip();
        }
        else if (TripAt is { } tripAhead)
        {
            end = Math.Min(end, tripAhead);
        }

        var count = (int)Math.Min(buffer.Length, end - _position);
        if (count <= 0)
        {
            return 0;
        }

        _fill(_position, buffer[..count]);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
