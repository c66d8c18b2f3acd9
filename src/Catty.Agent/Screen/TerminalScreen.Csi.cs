namespace Catty.Agent.Screen;

/// <summary>C0/C1 controls and CSI sequences: cursor movement, erasing, scrolling, editing.</summary>
internal sealed partial class TerminalScreen
{
    private void Execute(int c)
    {
        _joinWidth = 0;
        switch (c)
        {
            case 0x08:
                Backspace();
                break;
            case 0x09:
                if (_x < _buf.Cols)
                {
                    _x = _buf.NextTabStop(_x);
                }
                break;
            case 0x0A:
            case 0x0B:
            case 0x0C:
                LineFeed();
                break;
            case 0x0D:
                _x = 0;
                break;
            case 0x0E:
                SetGLevel(1);
                break;
            case 0x0F:
                SetGLevel(0);
                break;
            case 0x84:
                Index();
                break;
            case 0x85:
                _x = 0;
                Index();
                break;
            case 0x88:
                SetTabStop();
                break;
        }
    }

    private void LineFeed()
    {
        if (_modes.NewLine)
        {
            _x = 0;
        }
        _y++;
        if (_y == _buf.ScrollBottom + 1)
        {
            _y--;
            _buf.ScrollUp(_buf.ScrollTop, _buf.ScrollBottom, EraseCell, wrapped: false);
        }
        else if (_y >= _buf.Rows)
        {
            _y = _buf.Rows - 1;
        }
        else
        {
            _buf[_y].Wrapped = false;
        }
        if (_x >= _buf.Cols)
        {
            _x--;
        }
    }

    /// <summary>IND: like a line feed, but leaves the wrap marks and the pending wrap alone.</summary>
    private void Index()
    {
        RestrictCursor();
        _y++;
        if (_y == _buf.ScrollBottom + 1)
        {
            _y--;
            _buf.ScrollUp(_buf.ScrollTop, _buf.ScrollBottom, EraseCell, wrapped: false);
        }
        else if (_y >= _buf.Rows)
        {
            _y = _buf.Rows - 1;
        }
        RestrictCursor();
    }

    private void ReverseIndex()
    {
        RestrictCursor();
        if (_y == _buf.ScrollTop)
        {
            _buf.RotateDown(_buf.ScrollTop, _buf.ScrollBottom, 1, EraseCell);
        }
        else
        {
            _y--;
            RestrictCursor();
        }
    }

    private void Backspace()
    {
        if (!_modes.ReverseWraparound)
        {
            RestrictCursor();
            if (_x > 0)
            {
                _x--;
            }
            return;
        }
        RestrictCursor(_buf.Cols);
        if (_x > 0)
        {
            _x--;
        }
        else if (_y > _buf.ScrollTop && _y <= _buf.ScrollBottom && _buf[_y].Wrapped)
        {
            _buf[_y].Wrapped = false;
            _y--;
            _x = _buf.Cols - 1;
            var cell = _buf[_y].Cells[_x];
            if (cell.Width == 1 && !cell.HasText)
            {
                _x--;
            }
        }
        RestrictCursor();
    }

    private void SetTabStop()
    {
        if (_x < _buf.Cols)
        {
            _buf.Tabs[_x] = true;
        }
    }

    /// <summary>Clamps the cursor to the screen (or to the scroll region in origin mode).</summary>
    private void RestrictCursor(int maxCol = -1)
    {
        if (maxCol < 0)
        {
            maxCol = _buf.Cols - 1;
        }
        _x = Math.Clamp(_x, 0, maxCol);
        _y = _modes.Origin
            ? Math.Min(_buf.ScrollBottom, Math.Max(_buf.ScrollTop, _y))
            : Math.Clamp(_y, 0, _buf.Rows - 1);
    }

    // xterm.js adds the region top to every row passed here in origin mode, relative moves
    // included; the model does the same so that it shows what that client shows.
    private void SetCursor(int x, int y)
    {
        _x = x;
        _y = _modes.Origin ? _buf.ScrollTop + y : y;
        RestrictCursor();
    }

    private void MoveCursor(int dx, int dy)
    {
        RestrictCursor();
        SetCursor(_x + dx, _y + dy);
    }

    private void DispatchCsi(int final)
    {
        DispatchCsiCore(final);
        _joinWidth = 0;
    }

    private void DispatchCsiCore(int final)
    {
        var p = _params;
        switch ((_collect << 8) | final)
        {
            case '@': RestrictCursor(); CurrentRow.InsertCells(_x, p.Or(0, 1), EraseCell); break;
            case (' ' << 8) | '@': ShiftColumns(p.Or(0, 1), left: true, atCursor: false); break;
            case (' ' << 8) | 'A': ShiftColumns(p.Or(0, 1), left: false, atCursor: false); break;
            case 'A': CursorUp(p.Or(0, 1)); break;
            case 'B': CursorDown(p.Or(0, 1)); break;
            case 'C': case 'a': MoveCursor(p.Or(0, 1), 0); break;
            case 'D': MoveCursor(-p.Or(0, 1), 0); break;
            case 'E': CursorDown(p.Or(0, 1)); _x = 0; break;
            case 'F': CursorUp(p.Or(0, 1)); _x = 0; break;
            case 'G': case '`': SetCursor(p.Or(0, 1) - 1, _y); break;
            case 'H': case 'f': SetCursor(p.Count >= 2 ? p.Or(1, 1) - 1 : 0, p.Or(0, 1) - 1); break;
            case 'I': TabForward(p.Or(0, 1)); break;
            case 'J': case ('?' << 8) | 'J': EraseInDisplay(p[0]); break;
            case 'K': case ('?' << 8) | 'K': EraseInLine(p[0]); break;
            case 'L': InsertOrDeleteLines(p.Or(0, 1), insert: true); break;
            case 'M': InsertOrDeleteLines(p.Or(0, 1), insert: false); break;
            case 'P': RestrictCursor(); CurrentRow.DeleteCells(_x, Math.Min(p.Or(0, 1), _buf.Cols), EraseCell); break;
            case 'S': _buf.RotateUp(_buf.ScrollTop, _buf.ScrollBottom, p.Or(0, 1), EraseCell); break;
            case 'T': _buf.RotateDown(_buf.ScrollTop, _buf.ScrollBottom, p.Or(0, 1), default); break;
            case 'X': RestrictCursor(); CurrentRow.Erase(_x, (int)Math.Min((long)_x + p.Or(0, 1), _buf.Cols), EraseCell); break;
            case 'Z': TabBackward(p.Or(0, 1)); break;
            case 'b': RepeatPreceding(p.Or(0, 1)); break;
            case 'd': SetCursor(_x, p.Or(0, 1) - 1); break;
            case 'e': MoveCursor(0, p.Or(0, 1)); break;
            case 'g': ClearTabStops(p[0]); break;
            case 'h': SetAnsiModes(true); break;
            case 'l': SetAnsiModes(false); break;
            case ('?' << 8) | 'h': SetPrivateModes(true); break;
            case ('?' << 8) | 'l': SetPrivateModes(false); break;
            case 'm': SelectGraphicRendition(); break;
            case ('!' << 8) | 'p': SoftReset(); break;
            case (' ' << 8) | 'q': SetCursorStyle(p[0]); break;
            case 'r': SetScrollRegion(); break;
            case 's': SaveCursor(); break;
            case 'u': RestoreCursor(); break;
            case ('\'' << 8) | '}': ShiftColumns(p.Or(0, 1), left: false, atCursor: true); break;
            case ('\'' << 8) | '~': ShiftColumns(p.Or(0, 1), left: true, atCursor: true); break;
        }
    }

    private void CursorUp(int n)
    {
        int toTop = _y - _buf.ScrollTop;
        MoveCursor(0, toTop >= 0 ? -Math.Min(toTop, n) : -n);
    }

    private void CursorDown(int n)
    {
        int toBottom = _buf.ScrollBottom - _y;
        MoveCursor(0, toBottom >= 0 ? Math.Min(toBottom, n) : n);
    }

    private void TabForward(int n)
    {
        if (_x >= _buf.Cols)
        {
            return;
        }
        while (n-- > 0 && _x < _buf.Cols - 1)
        {
            _x = _buf.NextTabStop(_x);
        }
    }

    private void TabBackward(int n)
    {
        if (_x >= _buf.Cols)
        {
            return;
        }
        while (n-- > 0 && _x > 0)
        {
            _x = _buf.PreviousTabStop(_x);
        }
    }

    private void ClearTabStops(int mode)
    {
        if (mode == 0)
        {
            if (_x < _buf.Cols)
            {
                _buf.Tabs[_x] = false;
            }
        }
        else if (mode == 3)
        {
            Array.Clear(_buf.Tabs);
        }
    }

    private void SetScrollRegion()
    {
        int top = _params.Or(0, 1);
        int bottom = _params[1];
        if (_params.Count < 2 || bottom > _buf.Rows || bottom == 0)
        {
            bottom = _buf.Rows;
        }
        if (bottom > top)
        {
            _buf.ScrollTop = top - 1;
            _buf.ScrollBottom = bottom - 1;
            SetCursor(0, 0);
        }
    }
}
