using System.Text;

namespace Catty.Agent.Screen;

/// <summary>OSC strings: the window title (0, 2) and hyperlinks (8); anything else is consumed and dropped.</summary>
internal sealed partial class TerminalScreen
{
    private const int OscLimit = 4096;

    private enum OscState : byte
    {
        Id,
        Payload,
        Abort,
    }

    private OscState _oscState;
    private int _oscId;
    private readonly StringBuilder _osc = new();
    private bool _oscOverflow;

    private void OscStart()
    {
        _osc.Clear();
        _oscOverflow = false;
        _oscState = OscState.Id;
        _oscId = -1;
        _state = State.OscString;
    }

    private void OscPut(int c)
    {
        switch (_oscState)
        {
            case OscState.Id:
                if (c == ';')
                {
                    _oscState = OscState.Payload;
                }
                else if (c is >= '0' and <= '9')
                {
                    _oscId = (Math.Max(_oscId, 0) * 10) + (c - '0');
                    if (_oscId > 100_000)
                    {
                        _oscState = OscState.Abort;
                    }
                }
                else
                {
                    _oscState = OscState.Abort;
                }
                break;
            case OscState.Payload:
                if (_osc.Length >= OscLimit)
                {
                    _oscOverflow = true;
                }
                else if (c < 0x10000)
                {
                    _osc.Append((char)c);
                }
                else
                {
                    _osc.Append(char.ConvertFromUtf32(c));
                }
                break;
        }
    }

    /// <summary>Ends an OSC or DCS string (on ST, BEL, ESC, CAN or SUB); only a completed OSC is acted on.</summary>
    private void EndStrings(bool success)
    {
        if (_state == State.OscString && success && _oscState != OscState.Abort && !_oscOverflow)
        {
            DispatchOsc(_oscId, _osc.ToString());
        }
        if (_state is State.OscString or State.DcsPassthrough)
        {
            _joinWidth = 0;
        }
        _osc.Clear();
    }

    private void DispatchOsc(int id, string payload)
    {
        if (id is 0 or 2)
        {
            _modes.Title = payload;
        }
        else if (id == 8)
        {
            SetHyperlink(payload);
        }
    }

    /// <summary>OSC 8 ; params ; uri: starts a link (params may carry id=...); an empty uri ends it.</summary>
    private void SetHyperlink(string payload)
    {
        int semicolon = payload.IndexOf(';', StringComparison.Ordinal);
        if (semicolon < 0)
        {
            return;
        }
        string parameters = payload[..semicolon].Trim();
        string uri = payload[(semicolon + 1)..];
        if (uri.Length == 0)
        {
            if (parameters.Length == 0)
            {
                _penLink = 0;
                UpdateExtended();
            }
            return;
        }
        string? id = null;
        foreach (var part in parameters.Split(':'))
        {
            if (part.StartsWith("id=", StringComparison.Ordinal))
            {
                id = part.Length > 3 ? part[3..] : null;
                break;
            }
        }
        int number = _links.Add(new Hyperlink(id, uri), () => _normal.AllCells().Concat(_alt.AllCells()));
        _penLink = number << CellBits.LinkShift;
        UpdateExtended();
    }
}
