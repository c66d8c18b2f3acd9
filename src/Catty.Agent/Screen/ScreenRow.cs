namespace Catty.Agent.Screen;

/// <summary>
/// One line of cells. <see cref="Wrapped"/> marks a line that continues the one above it
/// (the text reached the right margin and wrapped), which clients use when they reflow.
/// Edits keep wide characters whole: a cell pair is never left half-overwritten.
/// </summary>
internal sealed class ScreenRow
{
    public Cell[] Cells;
    public bool Wrapped;

    public ScreenRow(int cols, Cell fill)
    {
        Cells = new Cell[cols];
        if (fill.Fg != 0 || fill.Bg != 0 || fill.Code != 0)
        {
            Cells.AsSpan().Fill(fill);
        }
    }

    public int Length => Cells.Length;

    /// <summary>Clears the whole line to <paramref name="fill"/> and drops the wrap mark.</summary>
    public void Reset(Cell fill)
    {
        if (fill.Fg == 0 && fill.Bg == 0 && fill.Code == 0)
        {
            Cells.AsSpan().Clear();
        }
        else
        {
            Cells.AsSpan().Fill(fill);
        }
        Wrapped = false;
    }

    /// <summary>Sets cells [start, end) to <paramref name="fill"/>, blanking any wide character cut in half.</summary>
    public void Erase(int start, int end, Cell fill)
    {
        var cells = Cells;
        end = Math.Min(end, cells.Length);
        if (start >= end)
        {
            return;
        }
        if (start > 0 && cells[start - 1].IsWide)
        {
            cells[start - 1] = fill;
        }
        if (end < cells.Length && cells[end - 1].IsWide)
        {
            cells[end] = fill;
        }
        cells.AsSpan(start, end - start).Fill(fill);
    }

    /// <summary>ICH: shifts cells from <paramref name="pos"/> right by <paramref name="n"/>; the tail falls off.</summary>
    public void InsertCells(int pos, int n, Cell fill)
    {
        var cells = Cells;
        int len = cells.Length;
        if (pos > 0 && cells[pos - 1].IsWide)
        {
            cells[pos - 1] = fill;
        }
        if (n < len - pos)
        {
            cells.AsSpan(pos, len - pos - n).CopyTo(cells.AsSpan(pos + n));
            // A right half shifted away from its left half stays as it is, as in xterm.js: an
            // empty cell that shows blank (and that a print ending next to it turns into a space).
            cells.AsSpan(pos, n).Fill(fill);
        }
        else
        {
            cells.AsSpan(pos).Fill(fill);
        }
        if (cells[len - 1].IsWide)
        {
            cells[len - 1] = fill;
        }
    }

    /// <summary>DCH: removes <paramref name="n"/> cells at <paramref name="pos"/>; the tail is filled.</summary>
    public void DeleteCells(int pos, int n, Cell fill)
    {
        var cells = Cells;
        int len = cells.Length;
        if (n < len - pos)
        {
            cells.AsSpan(pos + n, len - pos - n).CopyTo(cells.AsSpan(pos));
            cells.AsSpan(len - n).Fill(fill);
        }
        else
        {
            cells.AsSpan(pos).Fill(fill);
        }
        if (pos > 0 && cells[pos - 1].IsWide)
        {
            cells[pos - 1] = fill;
        }
        if (cells[pos].IsWideTrail)
        {
            cells[pos] = fill;
        }
    }

    /// <summary>Changes the width without reflow: cut on the right or padded with empty cells.</summary>
    public void Resize(int cols)
    {
        if (cols == Cells.Length)
        {
            return;
        }
        var old = Cells;
        var cells = new Cell[cols];
        old.AsSpan(0, Math.Min(cols, old.Length)).CopyTo(cells);
        if (cols < old.Length && cells[cols - 1].IsWide)
        {
            cells[cols - 1] = Cell.Blank(0, 0);
        }
        Cells = cells;
    }
}
