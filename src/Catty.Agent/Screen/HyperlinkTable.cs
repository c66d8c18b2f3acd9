namespace Catty.Agent.Screen;

/// <summary>
/// OSC 8 hyperlinks on screen. A cell stores a link number (1-255, 0 for none) in the top byte
/// of its code; this table maps it to the link's id parameter and URI. When all numbers are in
/// use, the ones no cell references any more are reclaimed; if none are free, new links are
/// shown as plain text.
/// </summary>
internal sealed class HyperlinkTable
{
    public const int Capacity = 255;

    private readonly List<Hyperlink> _links = [];
    private readonly Dictionary<Hyperlink, int> _index = [];
    private int _refused;

    public Hyperlink this[int number] => _links[number - 1];

    /// <summary>The number for a link (the pen's previous link is being replaced, so it may be reclaimed), or 0 when full.</summary>
    public int Add(Hyperlink link, Func<IEnumerable<Cell[]>> allRows)
    {
        if (_index.TryGetValue(link, out int number))
        {
            return number;
        }
        if (_links.Count >= Capacity)
        {
            // A compaction scans every cell; when it frees nothing (all links still on screen or in
            // scrollback), try again only after more requests, so a flood of links stays cheap.
            if (_refused++ % 64 == 0)
            {
                Compact(allRows());
            }
            if (_links.Count >= Capacity)
            {
                return 0;
            }
            _refused = 0;
        }
        _links.Add(link);
        number = _links.Count;
        _index.Add(link, number);
        return number;
    }

    public void Clear()
    {
        _links.Clear();
        _index.Clear();
        _refused = 0;
    }

    private void Compact(IEnumerable<Cell[]> rows)
    {
        var used = new bool[Capacity + 1];
        foreach (var cells in rows)
        {
            foreach (var cell in cells)
            {
                used[cell.Link] = true;
            }
        }
        var remap = new int[Capacity + 1];
        var kept = new List<Hyperlink>();
        for (int n = 1; n <= _links.Count; n++)
        {
            if (used[n])
            {
                kept.Add(_links[n - 1]);
                remap[n] = kept.Count;
            }
        }
        if (kept.Count == _links.Count)
        {
            return;
        }
        foreach (var cells in rows)
        {
            for (int i = 0; i < cells.Length; i++)
            {
                int link = cells[i].Link;
                if (link != 0)
                {
                    cells[i].Code = (cells[i].Code & ~CellBits.LinkMask) | (remap[link] << CellBits.LinkShift);
                }
            }
        }
        _links.Clear();
        _index.Clear();
        foreach (var link in kept)
        {
            _links.Add(link);
            _index.Add(link, _links.Count);
        }
    }
}

/// <summary>An OSC 8 link: its id parameter (links sharing one highlight together) and URI.</summary>
internal readonly record struct Hyperlink(string? Id, string Uri);
