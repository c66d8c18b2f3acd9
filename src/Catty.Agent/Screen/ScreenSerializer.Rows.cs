namespace Catty.Agent.Screen;

/// <summary>Writing lines: text, attributes, hyperlinks, wrap marks and erased backgrounds, cell for cell.</summary>
internal sealed partial class ScreenSerializer
{
    /// <summary>
    /// Writes lines [from, to) from the top of the client's cleared screen downwards. A line
    /// that continues the previous one is reached by autowrap, any other by CR LF. When the
    /// first line is a continuation, it wraps from a throwaway line, which ED 3 removes from
    /// the client's scrollback as soon as the screen has scrolled it there.
    /// </summary>
    private void WriteLines(ScreenBuffer buf, int from, int to)
    {
        bool atEnd = false;
        int dropAfter = -1;
        if (from < to && buf.Line(from).Wrapped)
        {
            _w.Pen(0, 0);
            for (int x = 0; x < _cols; x++)
            {
                _w.Byte((byte)' ');
            }
            atEnd = true;
            dropAfter = from + _rows - 1;
        }
        for (int i = from; i < to; i++)
        {
            var row = buf.Line(i);
            bool continues = row.Wrapped && atEnd;
            if (i > from && !continues)
            {
                if ((_w.PenBg & CellBits.ColorAndMode) != 0)
                {
                    _w.Pen(0, 0);
                }
                _w.Ascii("\r\n");
            }
            bool nextContinues = i + 1 < to && buf.Line(i + 1).Wrapped;
            atEnd = WriteRow(row, toEnd: nextContinues, forceStart: continues);
            if (i == dropAfter)
            {
                _w.Ascii("\u001b[3J");
            }
        }
    }

    /// <summary>Writes one row from column 0; returns true when it ends with a wrap pending.</summary>
    private bool WriteRow(ScreenRow row, bool toEnd, bool forceStart)
    {
        var cells = row.Cells;
        int end = toEnd ? _cols : SignificantLength(cells);
        if (end == _cols - 1 && cells[_cols - 2].IsWide)
        {
            // The last cell is not the wide character's right half: it must be written too.
            end = _cols;
        }
        // Trailing cells that an erase in a background colour produced are rewritten with EL.
        int erasedFrom = end;
        uint erasedBg = 0;
        if (!toEnd && end == _cols && IsEraseCell(cells[_cols - 1]))
        {
            erasedBg = cells[_cols - 1].Bg;
            erasedFrom = _cols;
            while (erasedFrom > 0 && cells[erasedFrom - 1].Code == 0 && cells[erasedFrom - 1].Fg == 0
                && cells[erasedFrom - 1].Bg == erasedBg)
            {
                erasedFrom--;
            }
        }
        if (forceStart && erasedFrom == 0)
        {
            // A continuation line must print at least one character to wrap into place.
            erasedFrom = 1;
        }
        int x = 0;
        if (forceStart && (cells[0].Bg & CellBits.ColorAndMode) != 0)
        {
            // The wrap into this line may scroll, and a scroll fills the new line with the pen's
            // background: wrap with a plain space first, then write the line over it.
            _w.Pen(0, 0);
            _w.Ascii(" \r");
        }
        while (x < erasedFrom)
        {
            var cell = cells[x];
            if (cell.IsWideTrail)
            {
                if (x > 0 && cells[x - 1].IsWide)
                {
                    x++;
                    continue;
                }
                // A right half without its left half shows as a blank in its colours.
                cell = new Cell(cell.Code & CellBits.LinkMask, cell.Fg, cell.Bg);
            }
            if (cell.Code == 0 && cell.Fg == 0 && cell.Bg == 0 && !(forceStart && x == 0))
            {
                int run = 1;
                while (x + run < erasedFrom && cells[x + run].Code == 0 && cells[x + run].Fg == 0
                    && cells[x + run].Bg == 0)
                {
                    run++;
                }
                if (run >= 4 && x + run < _cols)
                {
                    _w.Ascii("\u001b[");
                    _w.Int(run);
                    _w.Byte((byte)'C');
                    x += run;
                    continue;
                }
            }
            WriteCell(cell);
            if (cell.IsWide && x == _cols - 2 && !cells[x + 1].IsWideTrail)
            {
                WriteOverRightHalf(cells[x + 1]);
                x += 2;
                continue;
            }
            x += cell.IsWide ? 2 : 1;
        }
        if (erasedFrom < _cols && erasedBg != 0)
        {
            _w.Pen(0, erasedBg);
            _w.Ascii("\u001b[K");
        }
        return x >= _cols;
    }

    private void WriteCell(Cell cell)
    {
        Link(cell.Link);
        int first = FirstCodePoint(cell);
        if (first != 0 && CharWidth.Of(first) == 0)
        {
            // A mark that stands alone: a sequence in between keeps the client from joining it to the cell before.
            _w.Pen(cell.Fg, cell.Bg, force: true);
        }
        else
        {
            _w.Pen(cell.Fg, cell.Bg);
        }
        if (cell.IsCombined)
        {
            _w.Text(_screen.Graphemes[cell.CodePoint]);
        }
        else
        {
            _w.CodePoint(cell.CodePoint == 0 ? ' ' : cell.CodePoint);
        }
    }

    /// <summary>Opens the OSC 8 hyperlink the next characters belong to, or closes the open one.</summary>
    private void Link(int number)
    {
        if (number == _clientLink)
        {
            return;
        }
        _w.Ascii("\u001b]8;");
        if (number != 0)
        {
            var link = _screen.Links[number];
            if (link.Id is not null)
            {
                _w.Ascii("id=");
                _w.Text(link.Id);
            }
            _w.Byte((byte)';');
            _w.Text(link.Uri);
        }
        else
        {
            _w.Byte((byte)';');
        }
        _w.Ascii("\u001b\\");
        _clientLink = number;
    }

    private int FirstCodePoint(Cell cell)
    {
        if (!cell.IsCombined)
        {
            return cell.CodePoint;
        }
        var text = _screen.Graphemes[cell.CodePoint];
        return char.ConvertToUtf32(text, 0);
    }

    private static bool IsEraseCell(Cell cell) =>
        cell.Code == 0 && cell.Fg == 0 && cell.Bg != 0 && (cell.Bg & ~CellBits.ColorAndMode) == 0;

    private static int SignificantLength(Cell[] cells)
    {
        int i = cells.Length;
        while (i > 0 && cells[i - 1].Code == 0 && cells[i - 1].Fg == 0 && cells[i - 1].Bg == 0)
        {
            i--;
        }
        return i;
    }
}
