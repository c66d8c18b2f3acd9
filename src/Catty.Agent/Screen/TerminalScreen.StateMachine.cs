namespace Catty.Agent.Screen;

/// <summary>
/// The state machine proper: one code point at a time through ground, escape, CSI, DCS and
/// string states, with xterm.js's transition table (which follows Paul Williams' VT500 parser).
/// </summary>
internal sealed partial class TerminalScreen
{
    private void ClearSequence()
    {
        _params.Reset();
        _collect = 0;
    }

    private void Collect(int c) => _collect = (_collect << 8) | c;

    /// <summary>One code point through the state machine.</summary>
    private void Step(int c)
    {
        if (c == 0x1B)
        {
            EndStrings(success: true);
            ClearSequence();
            _state = State.Escape;
            return;
        }
        if (c == 0x18 || c == 0x1A || (c >= 0x80 && c < 0xA0))
        {
            StepAnywhere(c);
            return;
        }
        switch (_state)
        {
            case State.Ground:
                if (c >= 0x20)
                {
                    if (c != 0x7F)
                    {
                        PrintCodePoint(c);
                    }
                }
                else
                {
                    Execute(c);
                }
                break;
            case State.Escape:
                StepEscape(c);
                break;
            case State.EscapeIntermediate:
                if (c < 0x20)
                {
                    Execute(c);
                }
                else if (c < 0x30)
                {
                    Collect(c);
                }
                else if (c < 0x7F)
                {
                    _state = State.Ground;
                    DispatchEsc(c);
                }
                else if (c > 0x7F)
                {
                    _state = State.Ground;
                }
                break;
            case State.CsiEntry:
            case State.CsiParam:
            case State.CsiIntermediate:
                StepCsi(c);
                break;
            case State.CsiIgnore:
                if (c < 0x20)
                {
                    Execute(c);
                }
                else if (c >= 0x40 && c < 0x7F)
                {
                    _state = State.Ground;
                }
                break;
            case State.OscString:
                if (c == 0x07)
                {
                    EndStrings(success: true);
                    _state = State.Ground;
                }
                else if (c >= 0x20)
                {
                    OscPut(c);
                }
                break;
            case State.DcsEntry:
            case State.DcsParam:
            case State.DcsIntermediate:
                StepDcsHeader(c);
                break;
            case State.DcsPassthrough:
            case State.DcsIgnore:
            case State.SosPmApc:
                if (c >= 0xA0 && _state == State.SosPmApc)
                {
                    _state = State.Ground;
                }
                break;
        }
    }

    /// <summary>CAN, SUB and C1 controls act the same in every state.</summary>
    private void StepAnywhere(int c)
    {
        bool inString = _state is State.OscString or State.DcsPassthrough;
        if (inString && (c == 0x9C || c == 0x18 || c == 0x1A))
        {
            EndStrings(success: c == 0x9C);
            _state = State.Ground;
            return;
        }
        _osc.Clear();
        switch (c)
        {
            case 0x9C:
                _state = State.Ground;
                break;
            case 0x9B:
                ClearSequence();
                _state = State.CsiEntry;
                break;
            case 0x9D:
                OscStart();
                break;
            case 0x90:
                ClearSequence();
                _state = State.DcsEntry;
                break;
            case 0x98:
            case 0x9E:
            case 0x9F:
                _state = State.SosPmApc;
                break;
            default:
                _state = State.Ground;
                Execute(c);
                break;
        }
    }

    private void StepEscape(int c)
    {
        if (c < 0x20)
        {
            Execute(c);
            return;
        }
        switch (c)
        {
            case 0x7F:
                return;
            case '[':
                ClearSequence();
                _state = State.CsiEntry;
                return;
            case ']':
                OscStart();
                return;
            case 'P':
                ClearSequence();
                _state = State.DcsEntry;
                return;
            case 'X':
            case '^':
            case '_':
                _state = State.SosPmApc;
                return;
        }
        if (c < 0x30)
        {
            Collect(c);
            _state = State.EscapeIntermediate;
            return;
        }
        _state = State.Ground;
        if (c < 0x7F)
        {
            DispatchEsc(c);
        }
    }

    private void StepCsi(int c)
    {
        if (c < 0x20)
        {
            Execute(c);
            return;
        }
        if (c >= 0x40 && c < 0x7F)
        {
            _state = State.Ground;
            DispatchCsi(c);
            return;
        }
        if (c == 0x7F)
        {
            return;
        }
        if (c < 0x30)
        {
            Collect(c);
            _state = State.CsiIntermediate;
            return;
        }
        if (c < 0x40 && _state == State.CsiIntermediate)
        {
            _state = State.CsiIgnore;
            return;
        }
        if (c <= 0x3B)
        {
            if (c == ';')
            {
                _params.AddParam();
            }
            else if (c == ':')
            {
                _params.AddSubParam();
            }
            else
            {
                _params.AddDigit(c - '0');
            }
            _state = State.CsiParam;
            return;
        }
        if (c < 0x40)
        {
            if (_state == State.CsiEntry)
            {
                Collect(c);
                _state = State.CsiParam;
            }
            else
            {
                _state = State.CsiIgnore;
            }
            return;
        }
        // Anything else (a non-ASCII character) aborts the sequence.
        _state = State.Ground;
    }

    private void StepDcsHeader(int c)
    {
        if (c < 0x20 || c == 0x7F)
        {
            return;
        }
        if (c >= 0x40 && c < 0x7F)
        {
            _state = State.DcsPassthrough;
            return;
        }
        if (c < 0x30)
        {
            _state = State.DcsIntermediate;
            return;
        }
        if (c < 0x40)
        {
            bool param = c <= 0x3B;
            _state = _state switch
            {
                State.DcsEntry => State.DcsParam,
                State.DcsParam when param => State.DcsParam,
                _ => State.DcsIgnore,
            };
            return;
        }
        _state = State.Ground;
    }
}
