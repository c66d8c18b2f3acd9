namespace Catty.Agent.Screen;

/// <summary>
/// Text of cells that hold more than one code point (a base character and combining marks).
/// Such a cell stores an index here instead of a code point. Entries are interned; when the
/// table outgrows what the screen can still reference, <see cref="Compact"/> drops the dead ones.
/// </summary>
internal sealed class GraphemeTable
{
    private const int MinCompactThreshold = 4096;

    private List<string> _items = [];
    private Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private int _compactAt = MinCompactThreshold;

    public int Count => _items.Count;

    public bool NeedsCompaction => _items.Count >= _compactAt;

    public string this[int index] => _items[index];

    public int Add(string text)
    {
        if (!_index.TryGetValue(text, out int id))
        {
            id = _items.Count;
            _items.Add(text);
            _index.Add(text, id);
        }
        return id;
    }

    public void Clear()
    {
        _items.Clear();
        _index.Clear();
        _compactAt = MinCompactThreshold;
    }

    /// <summary>Keeps only the entries still referenced by <paramref name="rows"/> and renumbers them.</summary>
    public void Compact(IEnumerable<Cell[]> rows)
    {
        var items = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var remap = new Dictionary<int, int>();
        foreach (var cells in rows)
        {
            for (int i = 0; i < cells.Length; i++)
            {
                ref var cell = ref cells[i];
                if (!cell.IsCombined)
                {
                    continue;
                }
                int old = cell.Code & CellBits.CodeMask;
                if (!remap.TryGetValue(old, out int id))
                {
                    string text = _items[old];
                    if (!index.TryGetValue(text, out id))
                    {
                        id = items.Count;
                        items.Add(text);
                        index.Add(text, id);
                    }
                    remap.Add(old, id);
                }
                cell.Code = (cell.Code & ~CellBits.CodeMask) | id;
            }
        }
        _items = items;
        _index = index;
        _compactAt = Math.Max(MinCompactThreshold, items.Count * 2);
    }
}
