namespace Catty.Server.Tests.Blobs;

/// <summary>
/// A read-only, non-seekable stream of <c>length</c> deterministic pseudo-random bytes, so that large
/// objects need no memory and the store cannot learn the length up front. Optionally trips once after
/// a given number of bytes: runs an action (cancel a token) or throws (a disk or network failure).
/// </summary>
internal sealed class PatternStream(long length, int seed = 1) : Stream
{
    private readonly Random _random = new(seed);
    private long _position;

    /// <summary>Where the stream trips, in bytes from the start; never when null.</summary>
    public long? TripAt { get; init; }

    /// <summary>What happens when the stream reaches <see cref="TripAt"/>; by default an <see cref="IOException"/>.</summary>
    public Action OnTrip { get; init; } = () => throw new IOException("Simulated failure of the source stream.");

    /// <summary>The SHA-256 of the whole stream with the same length and seed.</summary>
    public static async Task<byte[]> HashAsync(long length, int seed = 1)
    {
        using var stream = new PatternStream(length, seed);
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
        var end = length;
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

        _random.NextBytes(buffer[..count]);
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
