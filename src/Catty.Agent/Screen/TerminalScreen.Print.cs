namespace Catty.Agent.Screen;

/// <summary>Printing characters: autowrap, wide characters, combining marks, insert mode, charsets.</summary>
internal sealed partial class TerminalScreen
{
    /// <summary>A run of printable ASCII (0x20-0x7E): the hot path, copied straight into rows.</summary>
    private void PrintAscii(ReadOnlySpan<byte> run)
    {
        if (_charset != DecCharset.Ascii || _modes.Insert)
        {
            foreach (byte b in run)
            {
                PrintCodePoint(b);
            }
            return;
        }
        int cols = _buf.Cols;
        var row = CurrentRow;
        uint fg = _cellFg;
        uint bg = _bg;
        int link = _link;
        // Writing over the right half of a wide character erases its left half. Like xterm.js,
        // checked where a run of printing starts, not between its characters.
        if (_joinWidth == 0 && _x > 0 && _x < cols && row.Cells[_x - 1].IsWide)
        {
            row.Cells[_x - 1] = Cell.PenBlank(fg, bg, link);
        }
        while (run.Length > 0)
        {
            if (_x >= cols)
            {
                if (!_modes.Wraparound)
                {
                    // Without autowrap every further character lands on the last column.
                    _x = cols - 1;
                    row.Cells[_x] = new Cell(run[^1] | link, fg, bg);
                    _x = cols;
                    break;
                }
                row = WrapLine(row, _x);
            }
            int n = Math.Min(cols - _x, run.Length);
            var cells = row.Cells.AsSpan(_x, n);
            for (int i = 0; i < cells.Length; i++)
            {
                cells[i] = new Cell(run[i] | link, fg, bg);
            }
            _x += n;
            run = run[n..];
        }
        if (_x < cols && row.Cells[_x].IsWideTrail)
        {
            row.Cells[_x] = Cell.PenBlank(fg, bg, link);
        }
        _joinWidth = 1;
    }

    /// <summary>Autowrap: moves to the start of the next line (scrolling if needed) and marks it as a continuation.</summary>
    private ScreenRow WrapLine(ScreenRow oldRow, int oldCol)
    {
        _x = 0;
        _y++;
        ScreenRow row;
        if (_y == _buf.ScrollBottom + 1)
        {
            _y--;
            row = _buf.ScrollUp(_buf.ScrollTop, _buf.ScrollBottom, EraseCell, wrapped: true);
        }
        else
        {
            if (_y >= _buf.Rows)
            {
                _y = _buf.Rows - 1;
            }
            row = _buf[_y];
            row.Wrapped = true;
        }
        // A wide character that did not fit leaves the rest of the old line blank.
        var cells = oldRow.Cells;
        for (int x = oldCol; x < cells.Length; x++)
        {
            cells[x] = Cell.PenBlank(_cellFg, _bg, _link);
        }
        return row;
    }

    /// <summary>Any printable code point (0x20 and up, C1 excluded).</summary>
    private void PrintCodePoint(int c)
    {
        if (c < 0x7F && _charset != DecCharset.Ascii)
        {
            c = DecCharsets.Map(_charset, c);
        }
        int width = CharWidth.Of(c);
        int cols = _buf.Cols;
        var row = CurrentRow;
        if (width == 0 && _joinWidth > 0 && _x > 0)
        {
            Join(row, c);
            return;
        }
        if (_joinWidth == 0 && _x > 0 && _x < cols && row.Cells[_x - 1].IsWide)
        {
            row.Cells[_x - 1] = Cell.PenBlank(_cellFg, _bg, _link);
        }
        if (_x + Math.Max(width, 1) > cols)
        {
            if (_modes.Wraparound)
            {
                row = WrapLine(row, _x);
            }
            else
            {
                _x = cols - 1;
                if (width == 2)
                {
                    // The wide character does not fit and is dropped; the cursor still moved
                    // onto the last column, whose right-half cell loses its left half.
                    if (row.Cells[_x].IsWideTrail)
                    {
                        row.Cells[_x] = Cell.PenBlank(_cellFg, _bg, _link);
                    }
                    _joinWidth = 2;
                    return;
                }
            }
        }
        if (_modes.Insert)
        {
            row.InsertCells(_x, Math.Max(width, 1), Cell.PenBlank(_cellFg, _bg, _link));
        }
        var cells = row.Cells;
        if (width == 2)
        {
            cells[_x++] = new Cell(c | CellBits.WideLead | _link, _cellFg, _bg);
            cells[_x++] = new Cell(CellBits.WideTrail | _link, _cellFg, _bg);
        }
        else
        {
            // A lone combining mark (nothing to join) takes a cell of its own, as in xterm.js.
            cells[_x++] = new Cell(c | _link, _cellFg, _bg);
        }
        if (_x < cols && cells[_x].IsWideTrail)
        {
            cells[_x] = Cell.PenBlank(_cellFg, _bg, _link);
        }
        _joinWidth = Math.Max(width, 1);
    }

    /// <summary>Adds a zero-width code point to the character left of the cursor.</summary>
    private void Join(ScreenRow row, int c)
    {
        var cells = row.Cells;
        int x = _x - 1;
        if (cells[x].IsWideTrail && x > 0)
        {
            x--;
        }
        ref var cell = ref cells[x];
        var text = new System.Text.StringBuilder(8);
        AppendCellText(text, cell);
        text.Append(char.ConvertFromUtf32(c));
        int id = _graphemes.Add(text.ToString());
        cell.Code = (cell.Code & (CellBits.WideLead | CellBits.WideTrail | CellBits.LinkMask)) | CellBits.Combined | id;
    }

    /// <summary>REP: prints the character left of the cursor again.</summary>
    private void RepeatPreceding(int count)
    {
        if (_joinWidth == 0)
        {
            return;
        }
        int x = _x - _joinWidth;
        var cells = CurrentRow.Cells;
        if (x < 0 || x >= cells.Length || !cells[x].HasText)
        {
            // Nothing printed there (xterm.js repeats the cell's text, which is empty).
            return;
        }
        var text = new System.Text.StringBuilder();
        AppendCellText(text, cells[x]);
        var chars = text.ToString();
        count = Math.Min(count, 65536);
        // The repetition is one new run of printing: the start-of-run check applies once.
        if (_x > 0 && _x < cells.Length && cells[_x - 1].IsWide)
        {
            cells[_x - 1] = Cell.PenBlank(_cellFg, _bg, _link);
        }
        for (int n = 0; n < count; n++)
        {
            for (int i = 0; i < chars.Length; i++)
            {
                int cp = char.ConvertToUtf32(chars, i);
                if (cp > 0xFFFF)
                {
                    i++;
                }
                PrintCodePoint(cp);
            }
        }
    }
}
