using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Catty.Agent.Snapshots;

/// <summary>
/// Serves exactly <c>size</c> bytes of an open file and checks them against the hash the manifest
/// promised. A file that changed since the scan makes the read fail at its end instead of passing off new
/// bytes under an old hash; the caller aborts the transfer and the control plane asks again later.
/// </summary>
internal sealed class VerifyingContentStream : Stream
{
    private readonly SafeFileHandle _handle;
    private readonly long _size;
    private readonly string _sha256;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private bool _verified;

    public VerifyingContentStream(SafeFileHandle handle, long size, string sha256)
    {
        _handle = handle;
        _size = size;
        _sha256 = sha256;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, _size - _position);
        if (wanted == 0)
        {
            Verify();
            return 0;
        }

        return Account(buffer[..wanted], RandomAccess.Read(_handle, buffer[..wanted], _position));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = (int)Math.Min(buffer.Length, _size - _position);
        if (wanted == 0)
        {
            Verify();
            return 0;
        }

        var read = await RandomAccess.ReadAsync(_handle, buffer[..wanted], _position, cancellationToken);
        return Account(buffer.Span[..wanted], read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> buffer, int read)
    {
        if (read == 0)
        {
            throw new IOException($"The file with hash {_sha256} shrank while it was being sent.");
        }

        _hash.AppendData(buffer[..read]);
        _position += read;
        if (_position == _size)
        {
            // Checked on the read that completes the content, so a consumer that stops at the known size
            // still never receives unverified bytes without an error.
            Verify();
        }

        return read;
    }

    private void Verify()
    {
        if (_verified)
        {
            return;
        }

        var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (!string.Equals(actual, _sha256, StringComparison.Ordinal))
        {
            throw new IOException($"The file with hash {_sha256} changed after it was scanned; its content now hashes to {actual}.");
        }

        _verified = true;
    }
}
