namespace Catty.Agent.Screen;

/// <summary>Changing the size of a screen, the way xterm.js does it when reflow is off.</summary>
internal sealed partial class ScreenBuffer
{
    /// <summary>
    /// Resizes like xterm.js without reflow: growing pulls lines back from scrollback while the
    /// cursor sits on the last line, shrinking drops blank rows below the cursor first and
    /// then pushes top rows into scrollback. Returns the cursor row adjusted to the new screen.
    /// </summary>
    public int Resize(int cols, int rows, int cursorY)
    {
        var lines = new List<ScreenRow>(_count);
        for (int i = 0; i < _count; i++)
        {
            lines.Add(Line(i));
        }
        int ybase = _count - Rows;
        int addToY = 0;
        if (Rows < rows)
        {
            for (int y = Rows; y < rows; y++)
            {
                if (lines.Count < rows + ybase)
                {
                    if (ybase > 0 && lines.Count <= ybase + cursorY + addToY + 1)
                    {
                        ybase--;
                        addToY++;
                    }
                    else
                    {
                        lines.Add(new ScreenRow(cols, default));
                    }
                }
            }
        }
        else
        {
            for (int y = Rows; y > rows; y--)
            {
                if (lines.Count > rows + ybase)
                {
                    if (lines.Count > ybase + cursorY + 1)
                    {
                        lines.RemoveAt(lines.Count - 1);
                    }
                    else
                    {
                        ybase++;
                    }
                }
            }
        }
        int capacity = rows + MaxScrollback;
        int trim = lines.Count - capacity;
        if (trim > 0)
        {
            lines.RemoveRange(0, trim);
            ybase = Math.Max(ybase - trim, 0);
            Saved = Saved with { AbsY = Math.Max(Saved.AbsY - trim, 0) };
        }
        // Keep the invariant: exactly `rows` visible lines after the scrollback.
        while (lines.Count < ybase + rows)
        {
            lines.Add(new ScreenRow(cols, default));
        }
        foreach (var line in lines)
        {
            line.Resize(cols);
        }

        _ring = new ScreenRow?[capacity];
        lines.CopyTo(0, _ring!, 0, Math.Min(lines.Count, capacity));
        _head = 0;
        _count = ybase + rows;
        _scratch = new ScreenRow[rows];
        ResizeTabs(cols);
        Cols = cols;
        Rows = rows;
        ScrollTop = 0;
        ScrollBottom = rows - 1;
        Saved = Saved with { X = Math.Min(Saved.X, cols - 1) };
        return Math.Min(cursorY, rows - 1) + addToY;
    }

    private void ResizeTabs(int cols)
    {
        var tabs = new bool[cols];
        Array.Copy(Tabs, tabs, Math.Min(cols, Tabs.Length));
        int start = cols - 1;
        while (start > 0 && !tabs[start])
        {
            start--;
        }
        for (int x = start; x < cols; x += 8)
        {
            tabs[x] = true;
        }
        Tabs = tabs;
    }
}
