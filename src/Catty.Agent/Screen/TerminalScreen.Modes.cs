namespace Catty.Agent.Screen;

/// <summary>Modes (SM/RM, DECSET/DECRST), ESC sequences, the alternate screen, saved cursor and resets.</summary>
internal sealed partial class TerminalScreen
{
    private void SetAnsiModes(bool on)
    {
        for (int i = 0; i < _params.Count; i++)
        {
            switch (_params[i])
            {
                case 4:
                    _modes.Insert = on;
                    break;
                case 20:
                    _modes.NewLine = on;
                    break;
            }
        }
    }

    private void SetPrivateModes(bool on)
    {
        for (int i = 0; i < _params.Count; i++)
        {
            int mode = _params[i];
            switch (mode)
            {
                case 1: _modes.ApplicationCursorKeys = on; break;
                case 2:
                    if (on)
                    {
                        for (int g = 0; g < 4; g++)
                        {
                            Designate(g, DecCharset.Ascii);
                        }
                    }
                    break;
                case 6:
                    _modes.Origin = on;
                    SetCursor(0, 0);
                    break;
                case 7: _modes.Wraparound = on; break;
                case 12: _modes.CursorBlink = on; break;
                case 25: _modes.CursorHidden = !on; break;
                case 45: _modes.ReverseWraparound = on; break;
                case 66: _modes.ApplicationKeypad = on; break;
                case 9: _modes.MouseProtocol = on ? MouseProtocol.X10 : MouseProtocol.None; break;
                case 1000: _modes.MouseProtocol = on ? MouseProtocol.Vt200 : MouseProtocol.None; break;
                case 1002: _modes.MouseProtocol = on ? MouseProtocol.Drag : MouseProtocol.None; break;
                case 1003: _modes.MouseProtocol = on ? MouseProtocol.Any : MouseProtocol.None; break;
                case 1004: _modes.SendFocus = on; break;
                case 1005:
                case 1015:
                    if (on)
                    {
                        _modes.LegacyMouseEncoding = mode;
                    }
                    else if (_modes.LegacyMouseEncoding == mode)
                    {
                        _modes.LegacyMouseEncoding = 0;
                    }
                    break;
                case 1006: _modes.MouseEncoding = on ? MouseEncoding.Sgr : MouseEncoding.Default; break;
                case 1016: _modes.MouseEncoding = on ? MouseEncoding.SgrPixels : MouseEncoding.Default; break;
                case 1048:
                    if (on)
                    {
                        SaveCursor();
                    }
                    else
                    {
                        RestoreCursor();
                    }
                    break;
                case 47:
                case 1047:
                case 1049:
                    if (on)
                    {
                        if (mode == 1049)
                        {
                            SaveCursor();
                        }
                        EnterAlternateScreen();
                    }
                    else
                    {
                        LeaveAlternateScreen();
                        if (mode == 1049)
                        {
                            RestoreCursor();
                        }
                    }
                    break;
                case 2004: _modes.BracketedPaste = on; break;
            }
        }
    }

    /// <summary>The alternate screen starts blank (in the pen's background); the cursor stays where it is.</summary>
    private void EnterAlternateScreen()
    {
        if (_buf == _alt)
        {
            return;
        }
        var fill = EraseCell;
        for (int y = 0; y < _alt.Rows; y++)
        {
            _alt[y].Reset(fill);
        }
        _buf = _alt;
    }

    /// <summary>Back to the normal screen; the alternate one is forgotten, as xterm.js clears it.</summary>
    private void LeaveAlternateScreen()
    {
        if (_buf == _normal)
        {
            return;
        }
        _alt.Clear(default);
        _buf = _normal;
    }

    private void SaveCursor()
    {
        _buf.Saved = new SavedCursor(_x, _buf.ScrollbackCount + _y, _fg, _bg, _charset, _extended);
    }

    private void RestoreCursor()
    {
        var saved = _buf.Saved;
        _x = saved.X;
        _y = Math.Max(saved.AbsY - _buf.ScrollbackCount, 0);
        _fg = saved.Fg;
        _bg = saved.Bg;
        _charset = saved.Charset;
        _extended = saved.Extended;
        ApplyPen();
        RestrictCursor();
    }

    private void SetCursorStyle(int param)
    {
        if (param == 0)
        {
            _modes.CursorShape = CursorShape.None;
            _modes.CursorStyleBlink = null;
            return;
        }
        _modes.CursorShape = param switch
        {
            1 or 2 => CursorShape.Block,
            3 or 4 => CursorShape.Underline,
            5 or 6 => CursorShape.Bar,
            _ => _modes.CursorShape,
        };
        _modes.CursorStyleBlink = param % 2 == 1;
    }

    /// <summary>DECSTR, as xterm.js does it: modes, pen, charsets, region and the saved cursor; not the screen.</summary>
    private void SoftReset()
    {
        _modes.CursorHidden = false;
        _buf.ScrollTop = 0;
        _buf.ScrollBottom = _buf.Rows - 1;
        ResetPen();
        _modes.ResetCoreModes();
        ResetCharsets();
        _buf.Saved = SavedCursor.Initial with { AbsY = _buf.ScrollbackCount };
    }

    /// <summary>RIS, as xterm.js does it: everything back to a new terminal, except cursor visibility, title and LNM.</summary>
    private void FullReset()
    {
        ResetPen();
        _normal = new ScreenBuffer(Cols, Rows, _maxScrollback);
        _alt = new ScreenBuffer(Cols, Rows, 0);
        _buf = _normal;
        _graphemes.Clear();
        _links.Clear();
        _x = 0;
        _y = 0;
        ResetCharsets();
        _modes.ResetCoreModes();
        _modes.MouseProtocol = MouseProtocol.None;
        _modes.MouseEncoding = MouseEncoding.Default;
        _modes.LegacyMouseEncoding = 0;
    }

    private void DispatchEsc(int final)
    {
        _joinWidth = 0;
        if (_collect == 0)
        {
            switch (final)
            {
                case '7': SaveCursor(); break;
                case '8': RestoreCursor(); break;
                case 'D': Index(); break;
                case 'E': _x = 0; Index(); break;
                case 'H': SetTabStop(); break;
                case 'M': ReverseIndex(); break;
                case '=': _modes.ApplicationKeypad = true; break;
                case '>': _modes.ApplicationKeypad = false; break;
                case 'c': FullReset(); break;
                case 'n': case '}': SetGLevel(2); break;
                case 'o': case '|': SetGLevel(3); break;
                case '~': SetGLevel(1); break;
            }
            return;
        }
        if (_collect > 0xFF)
        {
            return;
        }
        switch (_collect)
        {
            case '%':
                if (final is '@' or 'G')
                {
                    SetGLevel(0);
                    Designate(0, DecCharset.Ascii);
                }
                break;
            case '#':
                if (final == '8')
                {
                    ScreenAlignment();
                }
                break;
            case '(':
            case ')':
            case '*':
            case '+':
            case '-':
            case '.':
                if (IsCharsetFinal(final))
                {
                    int slot = _collect switch { '(' => 0, ')' or '-' => 1, '*' or '.' => 2, _ => 3 };
                    Designate(slot, DecCharsets.FromFinal((char)final));
                }
                break;
        }
    }

    // The final bytes xterm.js accepts in a charset designation; the national sets other than
    // British read as ASCII here.
    private static bool IsCharsetFinal(int final) => final is '0' or 'A' or 'B' or '4' or 'C' or '5' or 'R' or 'Q'
        or 'K' or 'Y' or 'E' or '6' or 'Z' or 'H' or '7' or '=';

    /// <summary>DECALN: fills the screen with 'E'.</summary>
    private void ScreenAlignment()
    {
        SetCursor(0, 0);
        var cell = new Cell('E', _fg, _bg);
        // xterm.js fills Rows lines from the cursor row; in origin mode that runs past the
        // bottom, and its circular buffer wraps around to the oldest lines. Mirrored.
        for (int offset = 0; offset < _buf.Rows; offset++)
        {
            if (_buf.LineWrapping(_buf.ScrollbackCount + _y + offset) is { } row)
            {
                row.Cells.AsSpan().Fill(cell);
                row.Wrapped = false;
            }
        }
        SetCursor(0, 0);
    }
}
