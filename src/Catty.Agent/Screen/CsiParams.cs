namespace Catty.Agent.Screen;

/// <summary>
/// Parameters of a control sequence: up to 32 numbers separated by ';', each optionally
/// followed by ':'-separated sub-parameters (as in SGR 38:2::r:g:b). An empty parameter
/// reads as 0 and an empty sub-parameter as -1, which handlers turn into defaults; further
/// parameters and digits past the limits are dropped, as xterm does.
/// </summary>
internal sealed class CsiParams
{
    private const int MaxParams = 32;
    private const int MaxSubParams = 32;
    private const int MaxValue = int.MaxValue;

    private readonly int[] _values = new int[MaxParams];
    private readonly int[] _subStart = new int[MaxParams + 1];
    private readonly int[] _subs = new int[MaxSubParams];
    private int _subCount;
    private bool _rejectDigits;
    private bool _rejectSubDigits;
    private bool _digitIsSub;

    public int Count { get; private set; }

    public bool HasAnySub => _subCount > 0;

    /// <summary>Starts a new sequence with one empty parameter.</summary>
    public void Reset()
    {
        Count = 0;
        _subCount = 0;
        _rejectDigits = false;
        _rejectSubDigits = false;
        _digitIsSub = false;
        _subStart[0] = 0;
        AddParam();
    }

    public void AddParam()
    {
        _digitIsSub = false;
        if (Count >= MaxParams)
        {
            _rejectDigits = true;
            return;
        }
        _values[Count++] = 0;
        _subStart[Count] = _subCount;
        _rejectSubDigits = false;
    }

    public void AddSubParam()
    {
        _digitIsSub = true;
        if (_rejectDigits)
        {
            return;
        }
        if (_subCount >= MaxSubParams)
        {
            _rejectSubDigits = true;
            return;
        }
        _subs[_subCount++] = -1;
        _subStart[Count] = _subCount;
    }

    public void AddDigit(int digit)
    {
        if (_rejectDigits || (_digitIsSub && _rejectSubDigits))
        {
            return;
        }
        if (_digitIsSub)
        {
            ref int cur = ref _subs[_subCount - 1];
            cur = cur < 0 ? digit : (int)Math.Min((long)cur * 10 + digit, MaxValue);
        }
        else
        {
            ref int cur = ref _values[Count - 1];
            cur = cur > (MaxValue / 10) - 1 ? MaxValue : (cur * 10) + digit;
        }
    }

    /// <summary>Parameter <paramref name="i"/>, or 0 when absent.</summary>
    public int this[int i] => i < Count ? _values[i] : 0;

    /// <summary>Parameter <paramref name="i"/>, or <paramref name="fallback"/> when absent or 0.</summary>
    public int Or(int i, int fallback)
    {
        int v = i < Count ? _values[i] : 0;
        return v == 0 ? fallback : v;
    }

    public bool HasSub(int i) => i < Count && _subStart[i + 1] > _subStart[i];

    public ReadOnlySpan<int> Subs(int i) =>
        i < Count ? _subs.AsSpan(_subStart[i], _subStart[i + 1] - _subStart[i]) : default;
}
