using System.Text;

namespace Catty.Agent.Http;

/// <summary>
/// Reads a request body from what is left in the head buffer, then from the connection; bounded lines
/// for chunked framing. Whatever it has not consumed is <see cref="Remaining"/> (bytes of the next protocol).
/// </summary>
internal sealed class BufferedReader(Stream stream, byte[] buffer, int start, int end)
{
    private const int MaxLineBytes = 1024;
    private int _start = start;
    private int _end = end;

    public ReadOnlyMemory<byte> Remaining => buffer.AsMemory(_start, _end - _start);

    public async Task<bool> ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var fromBuffer = Math.Min(destination.Length, _end - _start);
        buffer.AsMemory(_start, fromBuffer).CopyTo(destination);
        _start += fromBuffer;
        var read = fromBuffer;
        while (read < destination.Length)
        {
            var n = await stream.ReadAsync(destination[read..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
                return false;
            read += n;
        }
        return true;
    }

    /// <summary>A CRLF-terminated ASCII line without its terminator; null at the end of input or past the length bound.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (line.Length <= MaxLineBytes)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (_end == 0)
                    return null;
            }
            var c = (char)buffer[_start++];
            if (c == '\n')
                return line.Length > 0 && line[^1] == '\r' ? line.ToString(0, line.Length - 1) : null;
            line.Append(c);
        }
        return null;
    }
}
