using System.Buffers;
using System.Text;

namespace Catty.Agent.Screen;

/// <summary>
/// The DEC/ANSI parser (Paul Williams' VT500 state machine, with xterm.js's transitions) over
/// UTF-8 input. Sequences and characters may be split anywhere across <see cref="Feed"/> calls.
/// Printable ASCII between controls is found with a vectorized search and written as a run.
/// </summary>
internal sealed partial class TerminalScreen
{
    private const int PendingLimit = 8192;

    private enum State : byte
    {
        Ground,
        Escape,
        EscapeIntermediate,
        CsiEntry,
        CsiParam,
        CsiIntermediate,
        CsiIgnore,
        OscString,
        DcsEntry,
        DcsParam,
        DcsIntermediate,
        DcsPassthrough,
        DcsIgnore,
        SosPmApc,
    }

    private State _state;
    private readonly CsiParams _params = new();
    private int _collect;

    // A UTF-8 sequence in progress: bytes still needed, value so far, allowed range of the next byte.
    private int _utf8Needed;
    private int _utf8Value;
    private byte _utf8Lower = 0x80;
    private byte _utf8Upper = 0xBF;

    // Raw bytes of the sequence or character in progress, replayed after the screen so that a
    // client attached mid-sequence completes it from the live stream exactly as the model does.
    private readonly byte[] _pending = new byte[PendingLimit];
    private int _pendingLength;
    private bool _pendingOverflow;

    /// <summary>Bytes of an unfinished escape sequence or UTF-8 character; empty when none or too long to keep.</summary>
    internal ReadOnlySpan<byte> PendingBytes => _pendingOverflow ? default : _pending.AsSpan(0, _pendingLength);

    /// <summary>Consumes raw program output.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        // Where the unfinished sequence began in this call; -1 when it began in an earlier one.
        int seqStart = _state != State.Ground || _utf8Needed != 0 ? -1 : 0;
        int i = 0;
        while (i < data.Length)
        {
            byte b = data[i];
            if (b < 0x80)
            {
                if (_utf8Needed != 0)
                {
                    _utf8Needed = 0;
                    Step(0xFFFD);
                }
                if (_state == State.Ground)
                {
                    if (b >= 0x20 && b != 0x7F)
                    {
                        var rest = data[i..];
                        int run = rest.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
                        if (run < 0)
                        {
                            run = rest.Length;
                        }
                        PrintAscii(rest[..run]);
                        i += run;
                        continue;
                    }
                    if (b == 0x1B)
                    {
                        int end = TryPlainCsi(data, i);
                        if (end > 0)
                        {
                            i = end;
                            continue;
                        }
                    }
                }
                if (b == 0x1B)
                {
                    seqStart = i;
                }
                Step(b);
                i++;
                continue;
            }
            if (_state == State.Ground && _utf8Needed == 0)
            {
                int n = PrintUtf8(data[i..]);
                if (n > 0)
                {
                    i += n;
                    continue;
                }
                seqStart = i;
            }
            if (Utf8Byte(b))
            {
                i++;
            }
        }
        KeepPending(data, seqStart);
        if (_graphemes.NeedsCompaction)
        {
            _graphemes.Compact(_normal.AllCells().Concat(_alt.AllCells()));
        }
    }

    /// <summary>
    /// Prints the complete, valid non-ASCII characters at the start of <paramref name="data"/>
    /// and returns the bytes used; anything else (a split or invalid sequence, a C1 control, a
    /// byte order mark) is left to the byte-wise decoder.
    /// </summary>
    private int PrintUtf8(ReadOnlySpan<byte> data)
    {
        int i = 0;
        while (i < data.Length && data[i] >= 0x80)
        {
            if (Rune.DecodeFromUtf8(data[i..], out var rune, out int used) != OperationStatus.Done
                || rune.Value < 0xA0 || rune.Value == 0xFEFF)
            {
                break;
            }
            PrintCodePoint(rune.Value);
            i += used;
        }
        return i;
    }

    /// <summary>
    /// The common CSI (optional prefix, digits and ';', final byte) complete within
    /// <paramref name="data"/>, parsed in one go. Returns the index after it, or -1 to leave the
    /// sequence to the state machine.
    /// </summary>
    private int TryPlainCsi(ReadOnlySpan<byte> data, int i)
    {
        int k = i + 2;
        if (k >= data.Length || data[i + 1] != '[')
        {
            return -1;
        }
        ClearSequence();
        byte c = data[k];
        if (c >= 0x3C && c <= 0x3F)
        {
            Collect(c);
            k++;
        }
        for (; k < data.Length; k++)
        {
            c = data[k];
            if ((uint)(c - '0') <= 9)
            {
                _params.AddDigit(c - '0');
            }
            else if (c == ';')
            {
                _params.AddParam();
            }
            else if (c >= 0x40 && c <= 0x7E)
            {
                DispatchCsi(c);
                return k + 1;
            }
            else
            {
                return -1;
            }
        }
        return -1;
    }

    /// <summary>Keeps the raw bytes of a sequence or character left unfinished at the end of a call.</summary>
    private void KeepPending(ReadOnlySpan<byte> data, int seqStart)
    {
        if (_state == State.Ground && _utf8Needed == 0)
        {
            _pendingLength = 0;
            _pendingOverflow = false;
            return;
        }
        if (seqStart >= 0)
        {
            _pendingLength = 0;
            _pendingOverflow = false;
            data = data[seqStart..];
        }
        if (_pendingOverflow || _pendingLength + data.Length > PendingLimit)
        {
            _pendingOverflow = true;
            return;
        }
        data.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += data.Length;
    }

    /// <summary>Takes one byte of a multi-byte character; false when the byte must be read again as a new start.</summary>
    private bool Utf8Byte(byte b)
    {
        if (_utf8Needed == 0)
        {
            if (b >= 0xC2 && b <= 0xDF)
            {
                _utf8Needed = 1;
                _utf8Value = b & 0x1F;
            }
            else if (b >= 0xE0 && b <= 0xEF)
            {
                _utf8Needed = 2;
                _utf8Value = b & 0x0F;
                _utf8Lower = b == 0xE0 ? (byte)0xA0 : (byte)0x80;
                _utf8Upper = b == 0xED ? (byte)0x9F : (byte)0xBF;
            }
            else if (b >= 0xF0 && b <= 0xF4)
            {
                _utf8Needed = 3;
                _utf8Value = b & 0x07;
                _utf8Lower = b == 0xF0 ? (byte)0x90 : (byte)0x80;
                _utf8Upper = b == 0xF4 ? (byte)0x8F : (byte)0xBF;
            }
            else
            {
                Step(0xFFFD);
            }
            return true;
        }
        if (b < _utf8Lower || b > _utf8Upper)
        {
            _utf8Needed = 0;
            _utf8Lower = 0x80;
            _utf8Upper = 0xBF;
            Step(0xFFFD);
            return false;
        }
        _utf8Lower = 0x80;
        _utf8Upper = 0xBF;
        _utf8Value = (_utf8Value << 6) | (b & 0x3F);
        if (--_utf8Needed == 0 && _utf8Value != 0xFEFF)
        {
            // xterm.js drops the byte order mark; so does the model, or the two would disagree on cells.
            Step(_utf8Value);
        }
        return true;
    }
}
