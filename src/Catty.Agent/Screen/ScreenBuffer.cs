namespace Catty.Agent.Screen;

/// <summary>
/// The lines of one screen (normal or alternate) in a ring: scrollback lines first, then the
/// visible rows. Scrolling moves row references, never cells, and a full ring recycles its
/// oldest line, so memory stays at (rows + scrollback) × cols cells. Also holds the state
/// xterm keeps per screen: scroll region, tab stops and the DECSC saved cursor.
/// </summary>
internal sealed partial class ScreenBuffer
{
    private ScreenRow?[] _ring;
    private int _head;
    private int _count;
    private ScreenRow[] _scratch;

    public ScreenBuffer(int cols, int rows, int maxScrollback)
    {
        Cols = cols;
        Rows = rows;
        MaxScrollback = maxScrollback;
        _ring = new ScreenRow?[rows + maxScrollback];
        _scratch = new ScreenRow[rows];
        for (int i = 0; i < rows; i++)
        {
            _ring[i] = new ScreenRow(cols, default);
        }
        _count = rows;
        ScrollBottom = rows - 1;
        Tabs = new bool[cols];
        ResetTabs();
    }

    public int Cols { get; private set; }
    public int Rows { get; private set; }
    public int MaxScrollback { get; }

    /// <summary>Lines above the visible rows (xterm.js calls this ybase).</summary>
    public int ScrollbackCount => _count - Rows;

    /// <summary>All lines held: scrollback then visible rows.</summary>
    public int LineCount => _count;

    public int ScrollTop;
    public int ScrollBottom;
    public bool[] Tabs;
    public SavedCursor Saved = SavedCursor.Initial;

    /// <summary>Visible row <paramref name="y"/> (0 = top of the screen).</summary>
    public ScreenRow this[int y] => Line(_count - Rows + y);

    /// <summary>Line <paramref name="index"/> counted from the oldest scrollback line.</summary>
    public ScreenRow Line(int index)
    {
        int i = _head + index;
        if (i >= _ring.Length)
        {
            i -= _ring.Length;
        }
        return _ring[i]!;
    }

    /// <summary>
    /// Line <paramref name="index"/>, where an index past the last line of a full ring wraps to
    /// the oldest lines, as xterm.js's circular list does; null past the end of a ring not full.
    /// </summary>
    public ScreenRow? LineWrapping(int index)
    {
        if (index < _count)
        {
            return Line(index);
        }
        return _count == _ring.Length ? Line(index % _ring.Length) : null;
    }

    private void SetLine(int index, ScreenRow row)
    {
        int i = _head + index;
        if (i >= _ring.Length)
        {
            i -= _ring.Length;
        }
        _ring[i] = row;
    }

    /// <summary>
    /// Scrolls rows [top, bottom] up by one and returns the new blank bottom row. With the
    /// region at the top of a screen that keeps scrollback, the top row goes into scrollback
    /// (as xterm does), else it is dropped.
    /// </summary>
    public ScreenRow ScrollUp(int top, int bottom, Cell fill, bool wrapped)
    {
        ScreenRow row;
        if (top == 0 && MaxScrollback > 0)
        {
            if (_count < _ring.Length)
            {
                int slot = _head + _count;
                if (slot >= _ring.Length)
                {
                    slot -= _ring.Length;
                }
                row = _ring[slot] ?? new ScreenRow(Cols, fill);
                _ring[slot] = row;
                _count++;
            }
            else
            {
                row = _ring[_head]!;
                _head = _head + 1 == _ring.Length ? 0 : _head + 1;
            }
            row.Reset(fill);
            if (bottom < Rows - 1)
            {
                // The new line was appended below the screen; move it up to the region's bottom.
                int baseIndex = _count - Rows;
                for (int y = Rows - 1; y > bottom; y--)
                {
                    SetLine(baseIndex + y, Line(baseIndex + y - 1));
                }
                SetLine(baseIndex + bottom, row);
            }
        }
        else
        {
            row = this[top];
            int baseIndex = _count - Rows;
            for (int y = top; y < bottom; y++)
            {
                SetLine(baseIndex + y, Line(baseIndex + y + 1));
            }
            SetLine(baseIndex + bottom, row);
            row.Reset(fill);
        }
        row.Wrapped = wrapped;
        return row;
    }

    /// <summary>Moves rows [top, bottom] up by <paramref name="n"/>; blank rows enter at the bottom.</summary>
    public void RotateUp(int top, int bottom, int n, Cell fill)
    {
        int height = bottom - top + 1;
        n = Math.Min(n, height);
        int baseIndex = _count - Rows;
        for (int i = 0; i < height; i++)
        {
            _scratch[i] = Line(baseIndex + top + i);
        }
        for (int i = 0; i < height; i++)
        {
            var row = _scratch[(i + n) % height];
            SetLine(baseIndex + top + i, row);
            if (i >= height - n)
            {
                row.Reset(fill);
            }
        }
    }

    /// <summary>Moves rows [top, bottom] down by <paramref name="n"/>; blank rows enter at the top.</summary>
    public void RotateDown(int top, int bottom, int n, Cell fill)
    {
        int height = bottom - top + 1;
        n = Math.Min(n, height);
        int baseIndex = _count - Rows;
        for (int i = 0; i < height; i++)
        {
            _scratch[i] = Line(baseIndex + top + i);
        }
        for (int i = 0; i < height; i++)
        {
            var row = _scratch[(i - n + height) % height];
            SetLine(baseIndex + top + i, row);
            if (i < n)
            {
                row.Reset(fill);
            }
        }
    }

    /// <summary>Drops all scrollback (ED 3).</summary>
    public void ClearScrollback()
    {
        int drop = ScrollbackCount;
        _head = (_head + drop) % _ring.Length;
        _count = Rows;
    }

    /// <summary>Forgets everything: blank rows, no scrollback, default region, tabs and saved cursor.</summary>
    public void Clear(Cell fill)
    {
        ClearScrollback();
        for (int y = 0; y < Rows; y++)
        {
            this[y].Reset(fill);
        }
        ScrollTop = 0;
        ScrollBottom = Rows - 1;
        ResetTabs();
    }

    public void ResetTabs()
    {
        Array.Clear(Tabs);
        for (int x = 0; x < Tabs.Length; x += 8)
        {
            Tabs[x] = true;
        }
    }

    /// <summary>The next tab stop right of <paramref name="x"/>, or the last column.</summary>
    public int NextTabStop(int x)
    {
        while (++x < Cols && !Tabs[x])
        {
        }
        return x >= Cols ? Cols - 1 : x;
    }

    /// <summary>The previous tab stop left of <paramref name="x"/>, or the first column.</summary>
    public int PreviousTabStop(int x)
    {
        while (--x > 0 && (x >= Cols || !Tabs[x]))
        {
        }
        return x >= Cols ? Cols - 1 : Math.Max(x, 0);
    }

    /// <summary>Every line, oldest first; for compaction and serialization.</summary>
    public IEnumerable<Cell[]> AllCells()
    {
        for (int i = 0; i < _count; i++)
        {
            yield return Line(i).Cells;
        }
    }
}
