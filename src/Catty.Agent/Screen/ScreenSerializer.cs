namespace Catty.Agent.Screen;

/// <summary>
/// Writes the bytes that bring any client to the state of a <see cref="TerminalScreen"/>:
/// first a reset of everything the model tracks, then the normal screen's scrollback and rows
/// (written as a stream, so lines scroll into the client's scrollback and wrapped lines stay
/// wrapped), its tab stops, saved cursor and scroll region; then the alternate screen the same
/// way when it is active; then cursor, pen, charsets and modes.
/// </summary>
internal sealed partial class ScreenSerializer
{
    // Leaves the alternate screen and resets every mode the model replays, without RIS, which
    // would also reset things the model does not track (colour palette, window state).
    private const string Preamble =
        "\u001b[?1049l\u001b[0m\u001b[r\u001b[?6l\u001b[?7h\u001b[?45l\u001b[4l\u001b[20l" +
        "\u001b[?1l\u001b>\u001b[?2004l\u001b[?1004l\u001b[?9l\u001b[?1000l\u001b[?1002l\u001b[?1003l" +
        "\u001b[?1005l\u001b[?1015l\u001b[?1016l\u001b[?1006l\u001b[?25h\u001b[0 q" +
        "\u001b(B\u001b)B\u001b*B\u001b+B\u000f\u001b]8;;\u001b\\\u001b[H\u001b[2J\u001b[3J";

    private readonly TerminalScreen _screen;
    private readonly ReplayWriter _w;
    private readonly int _cols;
    private readonly int _rows;
    private int _clientLink;

    public ScreenSerializer(TerminalScreen screen)
    {
        _screen = screen;
        _cols = screen.Cols;
        _rows = screen.Rows;
        int lines = screen.NormalBuffer.LineCount + (screen.AlternateScreen ? _rows : 0);
        _w = new ReplayWriter(lines * (_cols + 8));
    }

    public byte[] Write()
    {
        _w.Ascii(Preamble);
        var normal = _screen.NormalBuffer;
        WriteLines(normal, 0, normal.LineCount);
        WriteBufferState(normal);
        if (_screen.AlternateScreen)
        {
            var alt = _screen.ActiveBuffer;
            _w.Pen(0, 0);
            _w.Ascii("\u001b[?1047h\u001b[H");
            WriteLines(alt, 0, alt.LineCount);
            WriteBufferState(alt);
        }
        WriteCursorAndModes();
        _w.Bytes(_screen.PendingBytes);
        return _w.ToArray();
    }

    /// <summary>Tab stops, the DECSC saved cursor and the scroll region of one screen.</summary>
    private void WriteBufferState(ScreenBuffer buf)
    {
        _w.Ascii("\u001b[3g");
        for (int x = 0; x < buf.Tabs.Length; x++)
        {
            if (buf.Tabs[x])
            {
                _w.Csi(string.Empty, x + 1, 'G');
                _w.Ascii("\u001bH");
            }
        }
        var saved = buf.Saved;
        int savedRow = Math.Clamp(saved.AbsY - buf.ScrollbackCount, 0, _rows - 1);
        PlaceCursor(buf, savedRow, saved.X, rowOffset: 0);
        _w.Pen(saved.Fg, saved.Bg);
        if (saved.Charset != DecCharset.Ascii)
        {
            _w.Ascii("\u001b(");
            _w.Byte((byte)DecCharsets.Final(saved.Charset));
        }
        // DECSC in xterm.js also records whether the pen had a hyperlink (not which one).
        bool needLink = saved.Extended && (saved.Fg & CellBits.Underline) == 0;
        if (needLink && _clientLink == 0)
        {
            _w.Ascii("\u001b]8;;about:blank\u001b\\");
            _clientLink = -1;
        }
        else if (!saved.Extended)
        {
            Link(0);
        }
        _w.Ascii("\u001b7");
        if (saved.Charset != DecCharset.Ascii)
        {
            _w.Ascii("\u001b(B");
        }
        if (buf.ScrollTop != 0 || buf.ScrollBottom != _rows - 1)
        {
            _w.Csi(buf.ScrollTop + 1, buf.ScrollBottom + 1, 'r');
        }
    }

    /// <summary>
    /// Moves the client's cursor to (row, col). Column == Cols is the pending-wrap state: the
    /// last character of the row is printed again to get there.
    /// </summary>
    private void PlaceCursor(ScreenBuffer buf, int row, int col, int rowOffset)
    {
        if (col < _cols)
        {
            _w.Csi(row - rowOffset + 1, col + 1, 'H');
            return;
        }
        var cells = buf[row].Cells;
        bool orphan = cells[_cols - 2].IsWide && !cells[_cols - 1].IsWideTrail;
        bool pair = cells[_cols - 2].IsWide && cells[_cols - 1].IsWideTrail;
        int lead = pair || orphan ? _cols - 2 : _cols - 1;
        _w.Csi(row - rowOffset + 1, lead + 1, 'H');
        var cell = cells[lead];
        if (cell.IsWideTrail)
        {
            cell = new Cell(cell.Code & CellBits.LinkMask, cell.Fg, cell.Bg);
        }
        WriteCell(cell);
        if (orphan)
        {
            WriteOverRightHalf(cells[_cols - 1]);
        }
    }

    /// <summary>
    /// xterm.js with autowrap off lets a character land on the right half of a wide one in the
    /// last column; only the same path recreates that. The cursor is past the wide character.
    /// </summary>
    private void WriteOverRightHalf(Cell cell)
    {
        _w.Ascii("\u001b[?7l");
        WriteCell(cell);
        _w.Ascii("\u001b[?7h");
    }

    private void WriteCursorAndModes()
    {
        var m = _screen.Modes;
        var buf = _screen.ActiveBuffer;
        var (y, x) = _screen.Cursor;
        int offset = 0;
        if (m.Origin)
        {
            _w.Ascii("\u001b[?6h");
            offset = buf.ScrollTop;
        }
        if (m.Origin && (y < buf.ScrollTop || y > buf.ScrollBottom) && !_screen.AlternateScreen)
        {
            // Origin mode keeps CUP inside the scroll region, but xterm.js lets the cursor out of
            // it when leaving the alternate screen (which has its own region); the same path
            // puts it there. The alternate screen is not in use, so nothing is lost.
            _w.Ascii("\u001b[?1047h");
            PlaceCursor(buf, y, x, 0);
            _w.Ascii("\u001b[?1047l");
        }
        else
        {
            PlaceCursor(buf, y, x, offset);
        }
        _w.Pen(_screen.PenFg, _screen.PenBg);
        Link(_screen.PenLink);
        WriteCharsets();
        WriteModes(m);
    }

    private void WriteCharsets()
    {
        var charsets = _screen.Charsets;
        const string Designators = "()*+";
        for (int g = 0; g < 4; g++)
        {
            if (charsets[g] != DecCharset.Ascii)
            {
                _w.Byte(0x1B);
                _w.Byte((byte)Designators[g]);
                _w.Byte((byte)DecCharsets.Final(charsets[g]));
            }
        }
        switch (_screen.GLevel)
        {
            case 1: _w.Byte(0x0E); break;
            case 2: _w.Ascii("\u001bn"); break;
            case 3: _w.Ascii("\u001bo"); break;
        }
    }

    private void WriteModes(TerminalModes m)
    {
        if (m.ApplicationCursorKeys)
        {
            _w.Ascii("\u001b[?1h");
        }
        if (m.ApplicationKeypad)
        {
            _w.Ascii("\u001b=");
        }
        if (m.BracketedPaste)
        {
            _w.Ascii("\u001b[?2004h");
        }
        switch (m.MouseProtocol)
        {
            case MouseProtocol.X10: _w.Ascii("\u001b[?9h"); break;
            case MouseProtocol.Vt200: _w.Ascii("\u001b[?1000h"); break;
            case MouseProtocol.Drag: _w.Ascii("\u001b[?1002h"); break;
            case MouseProtocol.Any: _w.Ascii("\u001b[?1003h"); break;
        }
        if (m.LegacyMouseEncoding != 0)
        {
            _w.Csi("?", m.LegacyMouseEncoding, 'h');
        }
        switch (m.MouseEncoding)
        {
            case MouseEncoding.Sgr: _w.Ascii("\u001b[?1006h"); break;
            case MouseEncoding.SgrPixels: _w.Ascii("\u001b[?1016h"); break;
        }
        if (m.SendFocus)
        {
            _w.Ascii("\u001b[?1004h");
        }
        if (!m.Wraparound)
        {
            _w.Ascii("\u001b[?7l");
        }
        if (m.ReverseWraparound)
        {
            _w.Ascii("\u001b[?45h");
        }
        if (m.Insert)
        {
            _w.Ascii("\u001b[4h");
        }
        if (m.NewLine)
        {
            _w.Ascii("\u001b[20h");
        }
        if (m.CursorBlink is bool blink)
        {
            _w.Ascii(blink ? "\u001b[?12h" : "\u001b[?12l");
        }
        if (m.CursorShape != CursorShape.None || m.CursorStyleBlink is not null)
        {
            int style = m.CursorShape switch
            {
                CursorShape.Block => 2,
                CursorShape.Underline => 4,
                CursorShape.Bar => 6,
                _ => 8,
            };
            if (m.CursorStyleBlink == true)
            {
                style--;
            }
            _w.Ascii("\u001b[");
            _w.Int(style);
            _w.Ascii(" q");
        }
        if (m.CursorHidden)
        {
            _w.Ascii("\u001b[?25l");
        }
        if (m.Title is { } title)
        {
            _w.Ascii("\u001b]2;");
            _w.Text(title);
            _w.Byte(0x07);
        }
    }
}
