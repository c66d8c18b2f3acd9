using System.Buffers;
using System.Text;

namespace Catty.Agent.Screen;

/// <summary>A growable byte buffer with the few writes the serializer needs, and the pen it has set.</summary>
internal sealed class ReplayWriter
{
    private readonly ArrayBufferWriter<byte> _out;

    public ReplayWriter(int capacityHint) => _out = new ArrayBufferWriter<byte>(Math.Max(capacityHint, 256));

    /// <summary>The attributes the client's pen has after what was written so far.</summary>
    public uint PenFg { get; private set; }

    public uint PenBg { get; private set; }

    public byte[] ToArray() => _out.WrittenSpan.ToArray();

    public void Ascii(string text)
    {
        var span = _out.GetSpan(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }
        _out.Advance(text.Length);
    }

    public void Bytes(ReadOnlySpan<byte> bytes) => _out.Write(bytes);

    public void Byte(byte b)
    {
        _out.GetSpan(1)[0] = b;
        _out.Advance(1);
    }

    public void Int(int value)
    {
        var span = _out.GetSpan(11);
        value.TryFormat(span, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        _out.Advance(written);
    }

    public void Text(string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        int n = Encoding.UTF8.GetBytes(text, _out.GetSpan(max));
        _out.Advance(n);
    }

    public void CodePoint(int cp)
    {
        if (cp < 0x80)
        {
            Byte((byte)cp);
            return;
        }
        var span = _out.GetSpan(4);
        new Rune(cp).TryEncodeToUtf8(span, out int n);
        _out.Advance(n);
    }

    /// <summary>ESC [ n1 ; n2 final.</summary>
    public void Csi(int n1, int n2, char final)
    {
        Ascii("\u001b[");
        Int(n1);
        Byte((byte)';');
        Int(n2);
        Byte((byte)final);
    }

    /// <summary>ESC [ prefix n final, e.g. Mode("?", 1049, 'h').</summary>
    public void Csi(string prefix, int n, char final)
    {
        Ascii("\u001b[");
        Ascii(prefix);
        Int(n);
        Byte((byte)final);
    }

    /// <summary>Sets the client's pen (absolute: starts from SGR 0) unless it already matches.</summary>
    public void Pen(uint fg, uint bg, bool force = false)
    {
        if (!force && fg == PenFg && bg == PenBg)
        {
            return;
        }
        Ascii("\u001b[0");
        if ((fg & CellBits.Bold) != 0)
        {
            Ascii(";1");
        }
        if ((bg & CellBits.Dim) != 0)
        {
            Ascii(";2");
        }
        if ((bg & CellBits.Italic) != 0)
        {
            Ascii(";3");
        }
        if ((fg & CellBits.Underline) != 0)
        {
            uint style = ((bg & CellBits.UnderlineStyleMask) >> CellBits.UnderlineStyleShift) + 1;
            Ascii(style == 1 ? ";4" : ";4:");
            if (style != 1)
            {
                Int((int)style);
            }
        }
        if ((fg & CellBits.Blink) != 0)
        {
            Ascii(";5");
        }
        if ((fg & CellBits.Inverse) != 0)
        {
            Ascii(";7");
        }
        if ((fg & CellBits.Invisible) != 0)
        {
            Ascii(";8");
        }
        if ((fg & CellBits.Strikethrough) != 0)
        {
            Ascii(";9");
        }
        if ((bg & CellBits.Overline) != 0)
        {
            Ascii(";53");
        }
        Color(fg, 30, 90, 38);
        Color(bg, 40, 100, 48);
        Byte((byte)'m');
        PenFg = fg;
        PenBg = bg;
    }

    private void Color(uint attr, int base8, int baseBright, int extended)
    {
        uint value = attr & CellBits.ColorMask;
        switch (attr & CellBits.ModeMask)
        {
            case CellBits.ModeP16:
                Byte((byte)';');
                Int(value < 8 ? base8 + (int)value : baseBright + (int)value - 8);
                break;
            case CellBits.ModeP256:
                Byte((byte)';');
                Int(extended);
                Ascii(";5;");
                Int((int)value);
                break;
            case CellBits.ModeRgb:
                Byte((byte)';');
                Int(extended);
                Ascii(";2;");
                Int((int)(value >> 16));
                Byte((byte)';');
                Int((int)((value >> 8) & 0xFF));
                Byte((byte)';');
                Int((int)(value & 0xFF));
                break;
        }
    }
}
