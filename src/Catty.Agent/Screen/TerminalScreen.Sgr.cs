namespace Catty.Agent.Screen;

/// <summary>SGR: the pen's colours and attributes, parsed the way xterm.js parses them.</summary>
internal sealed partial class TerminalScreen
{
    private void SelectGraphicRendition()
    {
        var p = _params;
        if (p.Count == 1 && p[0] == 0)
        {
            ResetPenAttributes();
            return;
        }
        for (int i = 0; i < p.Count; i++)
        {
            int v = p[i];
            switch (v)
            {
                case >= 30 and <= 37:
                    _fg = (_fg & ~CellBits.ColorAndMode) | CellBits.ModeP16 | (uint)(v - 30);
                    break;
                case >= 40 and <= 47:
                    _bg = (_bg & ~CellBits.ColorAndMode) | CellBits.ModeP16 | (uint)(v - 40);
                    break;
                case >= 90 and <= 97:
                    _fg = (_fg & ~CellBits.ColorAndMode) | CellBits.ModeP16 | (uint)(v - 90 + 8);
                    break;
                case >= 100 and <= 107:
                    _bg = (_bg & ~CellBits.ColorAndMode) | CellBits.ModeP16 | (uint)(v - 100 + 8);
                    break;
                case 0:
                    ResetPenAttributes();
                    break;
                case 1: _fg |= CellBits.Bold; break;
                case 2: _bg |= CellBits.Dim; break;
                case 3: _bg |= CellBits.Italic; break;
                case 4: SetUnderline(p.HasSub(i) ? p.Subs(i)[0] : 1); break;
                case 5: _fg |= CellBits.Blink; break;
                case 7: _fg |= CellBits.Inverse; break;
                case 8: _fg |= CellBits.Invisible; break;
                case 9: _fg |= CellBits.Strikethrough; break;
                case 21: SetUnderline(2); break;
                case 22:
                    _fg &= ~CellBits.Bold;
                    _bg &= ~CellBits.Dim;
                    break;
                case 23: _bg &= ~CellBits.Italic; break;
                case 24: SetUnderline(0); break;
                case 25: _fg &= ~CellBits.Blink; break;
                case 27: _fg &= ~CellBits.Inverse; break;
                case 28: _fg &= ~CellBits.Invisible; break;
                case 29: _fg &= ~CellBits.Strikethrough; break;
                case 39: _fg &= ~CellBits.ColorAndMode; break;
                case 49: _bg &= ~CellBits.ColorAndMode; break;
                case 38:
                case 48:
                case 58:
                    i += ExtendedColor(i);
                    break;
                case 53: _bg |= CellBits.Overline; break;
                case 55: _bg &= ~CellBits.Overline; break;
                case 59: UpdateExtended(); break;
            }
        }
        ApplyPen();
    }

    /// <summary>SGR 0: colours and attributes go; a hyperlink stays (xterm.js keeps it on the pen).</summary>
    private void ResetPenAttributes()
    {
        _fg = 0;
        _bg = 0;
        _underlineStyle = 0;
        UpdateExtended();
    }

    /// <summary>Underline style 0 (off), 1 single, 2 double, 3 curly, 4 dotted, 5 dashed; anything else is single.</summary>
    private void SetUnderline(int style)
    {
        if (style < 0 || style > 5)
        {
            style = 1;
        }
        _bg &= ~CellBits.UnderlineStyleMask;
        _underlineStyle = style;
        if (style == 0)
        {
            _fg &= ~CellBits.Underline;
        }
        else
        {
            _fg |= CellBits.Underline;
            _bg |= (uint)(style - 1) << CellBits.UnderlineStyleShift;
        }
        UpdateExtended();
    }

    /// <summary>
    /// 38/48/58 followed by 5;n or 2;r;g;b, in ';' or ':' form (the ':' form with 2 carries a
    /// colour-space id first). Returns how many further parameters were consumed.
    /// </summary>
    private int ExtendedColor(int pos)
    {
        var p = _params;
        Span<int> accu = stackalloc int[] { 0, 0, -1, 0, 0, 0 };
        int cSpace = 0;
        int advance = 0;
        do
        {
            accu[advance + cSpace] = p[pos + advance];
            if (p.HasSub(pos + advance))
            {
                var subs = p.Subs(pos + advance);
                int i = 0;
                do
                {
                    if (accu[1] == 5)
                    {
                        cSpace = 1;
                    }
                    accu[advance + i + 1 + cSpace] = subs[i];
                }
                while (++i < subs.Length && i + advance + 1 + cSpace < accu.Length);
                break;
            }
            if ((accu[1] == 5 && advance + cSpace >= 2) || (accu[1] == 2 && advance + cSpace >= 5))
            {
                break;
            }
            if (accu[1] != 0)
            {
                cSpace = 1;
            }
        }
        while (++advance + pos < p.Count && advance + cSpace < accu.Length);

        for (int i = 2; i < accu.Length; i++)
        {
            if (accu[i] == -1)
            {
                accu[i] = 0;
            }
        }
        switch (accu[0])
        {
            case 38:
                _fg = UpdateColor(_fg, accu[1], accu[3], accu[4], accu[5]);
                break;
            case 48:
                _bg = UpdateColor(_bg, accu[1], accu[3], accu[4], accu[5]);
                break;
        }
        return advance;
    }

    private static uint UpdateColor(uint color, int mode, int c1, int c2, int c3)
    {
        if (mode == 2)
        {
            uint rgb = ((uint)(c1 & 0xFF) << 16) | ((uint)(c2 & 0xFF) << 8) | (uint)(c3 & 0xFF);
            return (color & ~CellBits.ColorAndMode) | CellBits.ModeRgb | rgb;
        }
        if (mode == 5)
        {
            return (color & ~CellBits.ColorAndMode) | CellBits.ModeP256 | (uint)(c1 & 0xFF);
        }
        return color;
    }
}
