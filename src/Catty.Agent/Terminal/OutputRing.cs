namespace Catty.Agent.Terminal;

/// <summary>
/// The most recent program output, raw PTY bytes, for <c>GET /logs</c> and <c>output.log</c>. Grows up
/// to its capacity as output arrives, so an idle agent does not hold a megabyte it never used.
/// Not thread-safe: the terminal session serializes access.
/// </summary>
internal sealed class OutputRing(int capacity)
{
    private byte[] _buffer = new byte[Math.Min(capacity, 4096)];
    private int _start;
    private int _length;

    public int Capacity { get; } = capacity;

    public int Length => _length;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.Length >= Capacity)
        {
            EnsureCapacity(Capacity);
            data[^Capacity..].CopyTo(_buffer);
            _start = 0;
            _length = Capacity;
            return;
        }
        EnsureCapacity(Math.Min(Capacity, _length + data.Length));
        var end = (_start + _length) % _buffer.Length;
        var first = Math.Min(data.Length, _buffer.Length - end);
        data[..first].CopyTo(_buffer.AsSpan(end));
        data[first..].CopyTo(_buffer);
        var overflow = _length + data.Length - _buffer.Length;
        if (overflow > 0)
        {
            _start = (_start + overflow) % _buffer.Length;
            _length = _buffer.Length;
        }
        else
        {
            _length += data.Length;
        }
    }

    public byte[] ToArray()
    {
        var result = new byte[_length];
        var first = Math.Min(_length, _buffer.Length - _start);
        _buffer.AsSpan(_start, first).CopyTo(result);
        _buffer.AsSpan(0, _length - first).CopyTo(result.AsSpan(first));
        return result;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
            return;
        var size = _buffer.Length;
        while (size < needed)
            size = Math.Min(Capacity, size * 2);
        var grown = new byte[size];
        var old = ToArray();
        old.CopyTo(grown, 0);
        _buffer = grown;
        _start = 0;
    }
}
