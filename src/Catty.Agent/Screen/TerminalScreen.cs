using System.Text;

namespace Catty.Agent.Screen;

/// <summary>
/// A VT/xterm emulator that keeps the screen a session's program has drawn, so that a client
/// who connects later is sent bytes (<see cref="Serialize"/>) that reproduce it: scrollback,
/// the visible screen, the alternate screen with the normal one beneath it, attributes,
/// cursor and the modes that change how input is encoded. Where terminals disagree it follows
/// xterm.js, the emulator of the web dashboard. Not thread-safe: the caller serializes access.
/// </summary>
internal sealed partial class TerminalScreen
{
    private readonly int _maxScrollback;
    private ScreenBuffer _normal;
    private ScreenBuffer _alt;
    private ScreenBuffer _buf;
    private readonly GraphemeTable _graphemes = new();
    private readonly HyperlinkTable _links = new();

    // Cursor; X may equal Cols: the last column was written and the next character wraps.
    private int _x;
    private int _y;

    // Pen: the attributes new characters get (Cell.Fg/Bg layout).
    private uint _fg;
    private uint _bg;

    // The pen's OSC 8 hyperlink (as Cell.Code bits) and underline style, and xterm.js's flag
    // saying whether printed cells get them: DECRC restores the flag but not the values, so a
    // link can stay on the pen without being applied. _link and _cellFg are what cells get.
    private int _penLink;
    private int _underlineStyle;
    private bool _extended;
    private int _link;
    private uint _cellFg;

    // Width of the character printed last, 0 after any control; combining marks join to it.
    private int _joinWidth;

    private readonly TerminalModes _modes = new();

    // Character sets: G0-G3, the one shifted into GL, and the active one (DECRC may set it alone).
    private readonly DecCharset[] _charsets = new DecCharset[4];
    private int _glevel;
    private DecCharset _charset;

    public TerminalScreen(int cols, int rows, int scrollbackLines = 2000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(scrollbackLines);
        _maxScrollback = scrollbackLines;
        _normal = new ScreenBuffer(cols, rows, scrollbackLines);
        _alt = new ScreenBuffer(cols, rows, 0);
        _buf = _normal;
        _params.Reset();
    }

    public int Cols => _buf.Cols;

    public int Rows => _buf.Rows;

    /// <summary>Cursor row and column, 0-based; the column equals <see cref="Cols"/> while a wrap is pending.</summary>
    public (int Row, int Col) Cursor => (_y, _x);

    /// <summary>True while the program uses the alternate screen (full-screen programs).</summary>
    public bool AlternateScreen => _buf == _alt;

    /// <summary>The window title set with OSC 0 or 2, or null when none was set.</summary>
    public string? Title => _modes.Title;

    /// <summary>Lines currently held in scrollback (normal screen).</summary>
    public int ScrollbackCount => _normal.ScrollbackCount;

    internal TerminalModes Modes => _modes;
    internal ScreenBuffer NormalBuffer => _normal;
    internal ScreenBuffer ActiveBuffer => _buf;
    internal GraphemeTable Graphemes => _graphemes;
    internal HyperlinkTable Links => _links;
    internal int PenLink => (int)((uint)_penLink >> CellBits.LinkShift);
    internal uint PenFg => _fg;
    internal uint PenBg => _bg;
    internal int GLevel => _glevel;
    internal ReadOnlySpan<DecCharset> Charsets => _charsets;

    /// <summary>Visible rows joined by '\n', trailing spaces trimmed per row.</summary>
    public string GetScreenText()
    {
        var sb = new StringBuilder(Rows * (Cols + 1));
        for (int y = 0; y < Rows; y++)
        {
            if (y > 0)
            {
                sb.Append('\n');
            }
            AppendRowText(sb, _buf[y]);
        }
        return sb.ToString();
    }

    /// <summary>Scrollback lines (oldest first) then visible rows of the normal screen, as text.</summary>
    public IReadOnlyList<string> GetNormalLines()
    {
        var lines = new List<string>(_normal.LineCount);
        var sb = new StringBuilder();
        for (int i = 0; i < _normal.LineCount; i++)
        {
            sb.Clear();
            AppendRowText(sb, _normal.Line(i));
            lines.Add(sb.ToString());
        }
        return lines;
    }

    private void AppendRowText(StringBuilder sb, ScreenRow row)
    {
        int start = sb.Length;
        var cells = row.Cells;
        for (int x = 0; x < cells.Length; x++)
        {
            var cell = cells[x];
            if (cell.IsWideTrail && (x == 0 || !cells[x - 1].IsWide))
            {
                // A right half without its left half (see ScreenRow.InsertCells) shows as a blank.
                sb.Append(' ');
                continue;
            }
            if (!cell.IsCombined && cell.CodePoint != 0 && CharWidth.Of(cell.CodePoint) == 0)
            {
                // A combining mark with nothing to combine with takes a column but shows nothing.
                continue;
            }
            AppendCellText(sb, cell);
        }
        int end = sb.Length;
        while (end > start && sb[end - 1] == ' ')
        {
            end--;
        }
        sb.Length = end;
    }

    /// <summary>Appends what a cell shows: nothing for the right half of a wide character, a space when empty.</summary>
    internal void AppendCellText(StringBuilder sb, Cell cell)
    {
        if (cell.IsWideTrail)
        {
            return;
        }
        if (cell.IsCombined)
        {
            sb.Append(_graphemes[cell.CodePoint]);
        }
        else if (cell.CodePoint == 0)
        {
            sb.Append(' ');
        }
        else
        {
            int cp = cell.CodePoint;
            if (cp < 0x10000)
            {
                sb.Append((char)cp);
            }
            else
            {
                sb.Append(char.ConvertFromUtf32(cp));
            }
        }
    }

    /// <summary>Replay bytes: written to a fresh terminal of the same size, they reproduce this state.</summary>
    public byte[] Serialize() => new ScreenSerializer(this).Write();

    /// <summary>
    /// Changes the size like xterm.js without reflow: lines are cut or padded on the right,
    /// rows move between screen and scrollback around the cursor, the cursor is clamped and
    /// the scroll regions reset.
    /// </summary>
    public void Resize(int cols, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        if (cols == Cols && rows == Rows)
        {
            return;
        }
        int y = _y;
        int normalY = _normal.Resize(cols, rows, y);
        int altY = _alt.Resize(cols, rows, y);
        _y = _buf == _alt ? altY : normalY;
        _x = Math.Min(_x, cols - 1);
    }

    private ScreenRow CurrentRow => _buf[_y];

    /// <summary>What erasing leaves: an empty cell with the pen's background colour only.</summary>
    private Cell EraseCell => Cell.Blank(0, _bg & CellBits.ColorAndMode);

    /// <summary>Recomputes the extended flag from the link and underline style, as xterm.js's updateExtended.</summary>
    private void UpdateExtended()
    {
        _extended = _penLink != 0 || _underlineStyle != 0;
        ApplyPen();
    }

    /// <summary>Derives what printed cells get from the pen.</summary>
    private void ApplyPen()
    {
        _link = _extended ? _penLink : 0;
        _cellFg = _extended && _underlineStyle != 0 ? _fg | CellBits.Underline : _fg;
    }

    private void ResetPen()
    {
        _fg = 0;
        _bg = 0;
        _penLink = 0;
        _underlineStyle = 0;
        _extended = false;
        ApplyPen();
    }

    private void ResetCharsets()
    {
        Array.Clear(_charsets);
        _glevel = 0;
        _charset = DecCharset.Ascii;
    }

    private void SetGLevel(int level)
    {
        _glevel = level;
        _charset = _charsets[level];
    }

    private void Designate(int slot, DecCharset charset)
    {
        _charsets[slot] = charset;
        if (_glevel == slot)
        {
            _charset = charset;
        }
    }
}
