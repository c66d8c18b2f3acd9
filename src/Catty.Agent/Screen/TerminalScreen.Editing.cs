namespace Catty.Agent.Screen;

/// <summary>Erasing (ED, EL) and inserting or deleting lines and columns, with xterm.js's wrap-mark rules.</summary>
internal sealed partial class TerminalScreen
{
    private void EraseInDisplay(int mode)
    {
        RestrictCursor(_buf.Cols);
        var fill = EraseCell;
        switch (mode)
        {
            case 0:
                EraseRow(_y, _x, _buf.Cols, clearWrap: _x == 0, fill);
                for (int y = _y + 1; y < _buf.Rows; y++)
                {
                    _buf[y].Reset(fill);
                }
                break;
            case 1:
                EraseRow(_y, 0, _x + 1, clearWrap: true, fill);
                if (_x + 1 >= _buf.Cols && _y + 1 < _buf.LineCount)
                {
                    // xterm.js clears this mark by absolute line index; mirrored to keep clients identical.
                    _buf.Line(_y + 1).Wrapped = false;
                }
                for (int y = 0; y < _y; y++)
                {
                    _buf[y].Reset(fill);
                }
                break;
            case 2:
                for (int y = 0; y < _buf.Rows; y++)
                {
                    _buf[y].Reset(fill);
                }
                break;
            case 3:
                _buf.ClearScrollback();
                break;
        }
    }

    private void EraseInLine(int mode)
    {
        RestrictCursor(_buf.Cols);
        var fill = EraseCell;
        switch (mode)
        {
            case 0:
                EraseRow(_y, _x, _buf.Cols, clearWrap: _x == 0, fill);
                break;
            case 1:
                EraseRow(_y, 0, _x + 1, clearWrap: false, fill);
                break;
            case 2:
                EraseRow(_y, 0, _buf.Cols, clearWrap: true, fill);
                break;
        }
    }

    private void EraseRow(int y, int start, int end, bool clearWrap, Cell fill)
    {
        var row = _buf[y];
        row.Erase(start, end, fill);
        if (clearWrap)
        {
            row.Wrapped = false;
        }
    }

    private void InsertOrDeleteLines(int n, bool insert)
    {
        RestrictCursor();
        if (_y > _buf.ScrollBottom || _y < _buf.ScrollTop)
        {
            return;
        }
        if (insert)
        {
            _buf.RotateDown(_y, _buf.ScrollBottom, n, EraseCell);
        }
        else
        {
            _buf.RotateUp(_y, _buf.ScrollBottom, n, EraseCell);
        }
        _x = 0;
    }

    /// <summary>SL/SR (whole region) and DECIC/DECDC (from the cursor column): shift columns of every row in the region.</summary>
    private void ShiftColumns(int n, bool left, bool atCursor)
    {
        if (_y > _buf.ScrollBottom || _y < _buf.ScrollTop)
        {
            return;
        }
        int pos = atCursor ? Math.Min(_x, _buf.Cols - 1) : 0;
        n = Math.Min(n, _buf.Cols);
        var fill = EraseCell;
        for (int y = _buf.ScrollTop; y <= _buf.ScrollBottom; y++)
        {
            var row = _buf[y];
            if (left)
            {
                row.DeleteCells(pos, n, fill);
            }
            else
            {
                row.InsertCells(pos, n, fill);
            }
            row.Wrapped = false;
        }
    }
}
